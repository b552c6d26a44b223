"""The MFA forms, in NHS.UK style: a code from an authenticator app, a recovery code, and the
buttons that confirm a step. Whether a code is right is the view's question (mfa/devices.py
checks it against the person's device); these only say what to type."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from nhsuk_forms.layout import Submit, WarningSubmit


def _helper(*fields, button: Submit) -> FormHelper:
    helper = FormHelper()
    # The page draws the <form>, so that it can carry the "next" address beside the fields.
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    helper.add_input(button)
    return helper


class AuthenticatorCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows now."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit number your app shows for NHS board induction, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, button="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("code", button=Submit("verify", button))

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                "Enter the code as 6 digits, for example 123456, without letters"
            )
        return code


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes the person saved when they set up two-step sign-in."""

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up two-step sign-in, for "
        "example abcd2345. Each code works once.",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-10",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("code", button=Submit("verify", "Continue"))


class ConfirmForm(forms.Form):
    """A button that confirms a step, with nothing to fill in."""

    def __init__(self, *args, button: str, warning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kind = WarningSubmit if warning else Submit
        self.helper = _helper(button=kind("confirm", button))
