"""The sign-in form, in NHS.UK style and plain words."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.contrib.auth.forms import AuthenticationForm

from nhsuk_forms.layout import Submit


class SignInForm(AuthenticationForm):
    """Django's sign-in form with messages that say what to do. Axes throttles its failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Enter a correct username and password. Check for typing mistakes: both are "
            "case-sensitive."
        ),
        "inactive": "This account has been switched off. Ask your trust's HR team to restore it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["username"].widget.attrs["class"] = "nhsuk-u-width-two-thirds"
        self.fields["password"].label = "Password"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs["class"] = "nhsuk-u-width-two-thirds"
        self.helper = FormHelper()
        # The page draws the <form> so it can carry the "next" address beside the fields.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("username", "password")
        self.helper.add_input(Submit("sign-in", "Sign in"))
