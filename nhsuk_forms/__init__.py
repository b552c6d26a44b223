"""The NHS.UK form kit: a django-crispy-forms template pack named ``nhsuk``.

Forms across the portal render through it, so every page's fields, hints, errors and buttons
follow the NHS.UK design system (nhsuk-frontend 10) and work without JavaScript:

- ``templates/nhsuk/``: one template per component, found by crispy-forms when
  ``CRISPY_TEMPLATE_PACK = "nhsuk"``;
- ``layout``: the buttons a form's FormHelper adds (``Submit``, ``SecondarySubmit``,
  ``WarningSubmit``);
- ``fields``: ``DateField``, drawn as the NHS.UK date input;
- ``templatetags/nhsuk_forms``: the filters the templates use, and the error summary that
  opens a page whose form failed (``{% load nhsuk_forms %}{% nhsuk_error_summary form %}``).

The kit knows nothing of the portal's own apps, which import it and never the other way round.
"""
