"""The journey's forms with fields: an editor setting a member's board role and start date,
their roles, or inviting someone; and the invited person making their account. The tick and
acknowledge buttons are plain forms of one hidden value each, read by the views.

These forms only read what was typed; the rules (which board roles, which dates, who may do
what) are the services' (journey/members.py, journey/invitations.py), whose ValidationError
the views put on the form.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import get_user_model, password_validation

from nhsuk_forms.fields import DateField
from nhsuk_forms.layout import Submit

from .invitations import BAD_EMAIL
from .members import ROLE_ORDER
from .models import ROLE_DESCRIPTIONS

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


def _role_choices():
    return [
        (role.value, f"{role.label.split(' (')[0]}: can {ROLE_DESCRIPTIONS[role]}")
        for role in ROLE_ORDER
    ]


def _board_role_choices(packs):
    return [
        *((str(pack.board_role_id), pack.board_role.name) for pack in packs),
        (NOT_INDUCTED, "None: they are not being inducted"),
    ]


class InviteForm(forms.Form):
    """An editor inviting someone by e-mail, with a role and, for someone being inducted, the
    board role and start date."""

    email = forms.EmailField(
        label="What is their e-mail address?",
        help_text="We send the invitation here. They will sign in with this address.",
        max_length=254,
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": BAD_EMAIL,
            "max_length": BAD_EMAIL,
        },
    )
    role = forms.ChoiceField(
        label="What will they be able to do?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they will be able to do"},
    )
    board_role = forms.ChoiceField(
        label="Are they being inducted into a board role?",
        widget=forms.RadioSelect,
        required=False,
    )
    start_date = DateField(
        label="When do they start in the board role?",
        help_text="Only if they are being inducted. For example, 3 2 2027.",
        required=False,
    )

    def __init__(self, *args, packs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "class": "nhsuk-u-width-two-thirds"}
        )
        self.fields["role"].choices = _role_choices()
        self.fields["board_role"].choices = _board_role_choices(packs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout("email", "role", "board_role", "start_date")
        self.helper.add_input(Submit("invite", "Send the invitation"))

    def board_role_id(self) -> int | None:
        role = self.cleaned_data.get("board_role")
        return int(role) if role else None


class MemberRolesForm(forms.Form):
    """An editor choosing a member's roles in the trust."""

    roles = forms.MultipleChoiceField(
        label="What can they do?",
        help_text="Choose all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role, or remove them from the trust"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _role_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout("roles")
        self.helper.add_input(Submit("save", "Save their roles"))


class AccountForm(forms.Form):
    """Someone invited making their local account: their name and a new password, checked by
    Django's password validators. The username is the invited e-mail address."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter your first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter your last name"},
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters. Not a common password, not only numbers, and not "
        "like your name or e-mail address.",
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args, email: str, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout("first_name", "last_name", "password", "password_again")
        self.helper.add_input(Submit("create-account", "Create your account and accept"))

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The passwords do not match: type the same one twice")
        elif password:
            user = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
