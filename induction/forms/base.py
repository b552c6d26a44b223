"""What every form of the induction pages shares: how crispy draws it, the check of
trust-written Markdown, a service's ValidationError put on the form, and the warning before
a page is left with its changes not saved.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.core.exceptions import ValidationError

from nhsuk_forms.layout import Submit

from ..safe_markdown import validate_markdown

MARKDOWN_HINT = (
    "Write in Markdown: start a line with # for a heading (## for a smaller one) or * for a "
    "bullet point, "
    "write [link text](https://example.nhs.uk) for a link, and | between table cells."
)


def markdown_text(value):
    """Validate trust-written Markdown with the sanitiser's own rules (ValidationError)."""
    validate_markdown(value)
    return value


def helper(*fields, submit=None, form_tag=False):
    """A FormHelper with the given layout; the pages draw the <form> and buttons themselves
    when a form shares them with formsets."""
    form_helper = FormHelper()
    form_helper.form_tag = form_tag
    # Without its own <form> tag the page's form carries the CSRF token, once.
    form_helper.disable_csrf = not form_tag
    form_helper.layout = Layout(*fields)
    if submit:
        form_helper.add_input(Submit("submit", submit))
    return form_helper


def attach_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


class WarnsOfUnsavedChanges:
    """A form the browser asks about before the page is left with its changes not saved
    (static/js/unsaved-changes.mjs): its <form> carries `data-unsaved-changes`, which a form
    drawn by crispy gets from its helper and a page drawing its own <form> writes itself."""

    @property
    def unsaved_changes(self) -> str:
        # A bound form shown again (an error, a preview, changes kept over a sign-in) holds
        # what was typed, not saved yet.
        return "unsaved" if self.is_bound else "saved"

    def warn_of_unsaved_changes(self):
        """Put the attribute on the <form> that crispy draws from this form's helper."""
        self.helper.attrs = {**self.helper.attrs, "data-unsaved-changes": self.unsaved_changes}
