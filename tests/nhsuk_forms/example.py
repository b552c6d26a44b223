"""A form that uses every kind of field the NHS.UK template pack draws, for its tests."""

from crispy_forms.helper import FormHelper
from django import forms

from nhsuk_forms.fields import DateField
from nhsuk_forms.layout import SecondarySubmit, Submit


class ExampleForm(forms.Form):
    name = forms.CharField(
        label="What is your name?",
        help_text="As it appears on your badge",
        error_messages={"required": "Enter your name"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "E-mail"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we should contact you"},
    )
    team = forms.ChoiceField(label="Team", choices=[("hr", "HR"), ("board", "Board")])
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("a", "Governance"), ("b", "Quality")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agree = forms.BooleanField(label="I agree", help_text="Tick to agree", required=False)
    start = DateField(label="When do you start?", required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))
        self.helper.add_input(SecondarySubmit("preview", "Preview"))
