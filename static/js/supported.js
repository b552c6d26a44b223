// Mirrors NHS.UK frontend's inline start-of-body script, kept in a file for the Content-Security-Policy.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
