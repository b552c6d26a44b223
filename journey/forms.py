"""The journey's one form with fields: an editor setting a member's board role and start date.
The tick and acknowledge buttons are plain forms of one hidden value each, read by the views."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from nhsuk_forms.fields import DateField
from nhsuk_forms.layout import Submit

NOT_INDUCTED = ""


class MemberInductionForm(forms.Form):
    board_role = forms.ChoiceField(
        label="Which board role are they being inducted into?",
        widget=forms.RadioSelect,
        required=False,
    )
    start_date = DateField(
        label="When do they start in the role?",
        help_text="For example, 3 2 2027. Their checklist's due dates count from this day.",
        required=False,
    )

    def __init__(self, *args, packs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board_role"].choices = [
            *((str(pack.board_role_id), pack.board_role.name) for pack in packs),
            (NOT_INDUCTED, "None: they are not being inducted"),
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout("board_role", "start_date")
        self.helper.add_input(Submit("save", "Save"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("board_role") == NOT_INDUCTED and cleaned.get("start_date"):
            self.add_error(
                "start_date",
                "Leave the start date empty, or choose the board role they are starting in",
            )
        return cleaned
