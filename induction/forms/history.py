"""The version history's form: choosing two published versions to compare."""

from django import forms
from django.core.exceptions import ValidationError

from nhsuk_forms.layout import Submit

from .base import helper


class CompareForm(forms.Form):
    """Choose two published versions to compare: a GET form, `?from=1&to=2`."""

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, f"Version {number}") for number in numbers]
        messages = {
            "invalid_choice": "Choose one of the published versions",
            "required": "Choose a version to compare",
        }
        # "from" is a Python keyword, so these fields are added by name rather than declared.
        self.fields["from"] = forms.TypedChoiceField(
            label="Compare version", choices=choices, coerce=int, error_messages=messages
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="with version", choices=choices, coerce=int, error_messages=messages
        )
        self.helper = helper("from", "to", form_tag=True)
        self.helper.form_method = "get"
        # No name on the button, so the address stays ?from=1&to=2.
        self.helper.add_input(Submit("", "Compare", css_id="compare-button"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from") is not None and cleaned.get("from") == cleaned.get("to"):
            raise ValidationError("Choose two different versions to compare")
        return cleaned
