"""The e-mail preferences form: one NHS.UK checkbox per kind of e-mail, ticked to get it."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from nhsuk_forms.layout import Submit

from .models import Kind


class PreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label="Which e-mails do you want to get?",
        help_text="Untick an e-mail to stop getting it. Password reset e-mails always come.",
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose only from the e-mails listed",
            "invalid_list": "Choose only from the e-mails listed",
        },
    )

    def __init__(self, *args, turned_off: set[str], **kwargs):
        super().__init__(*args, initial={"wanted": sorted(set(Kind.values) - turned_off)}, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("wanted")
        self.helper.add_input(Submit("save", "Save your choices"))

    @property
    def turned_off(self) -> set[str]:
        """The kinds left unticked, once the form is valid."""
        return set(Kind.values) - set(self.cleaned_data["wanted"])
