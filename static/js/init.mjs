// Starts the NHS.UK frontend components (header menu, error summary focus, skip link...).
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";
// Asks before leaving a form opted in with data-unsaved-changes while it holds unsaved changes.
import "./unsaved-changes.mjs";

initAll();
