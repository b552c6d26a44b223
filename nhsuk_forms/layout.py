"""Layout objects of the NHS.UK template pack: the buttons a form adds with ``add_input``.

Forms declare their layout with a FormHelper in ``__init__`` and use these, for example
``self.helper.add_input(Submit("save", "Save and continue"))``; the pack draws each one as an
NHS.UK button (templates/nhsuk/layout/baseinput.html in this app).
"""

from crispy_forms.layout import BaseInput


class Submit(BaseInput):
    """The page's main action, drawn as an NHS.UK button."""

    input_type = "submit"
    field_classes = "nhsuk-button"


class SecondarySubmit(Submit):
    """A second action on the same form, for example "Preview"."""

    field_classes = "nhsuk-button nhsuk-button--secondary"


class WarningSubmit(Submit):
    """An action that removes or overwrites something."""

    field_classes = "nhsuk-button nhsuk-button--warning"
