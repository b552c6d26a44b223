"""The account forms, in NHS.UK style and plain words: signing in, asking for a password reset
(whose e-mail goes through the task queue), choosing a new password from the reset link, and
changing one's password."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.template import loader

from nhsuk_forms.layout import Submit

from .tasks import send_email


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


# What Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) ask, in plain words.
PASSWORD_HINT = (
    "At least 8 characters. Not a common password, not only numbers, and not like your name or "
    "e-mail address."
)


def _page_draws_form_tag(helper: FormHelper) -> None:
    # The page draws the <form>, so that it can carry hidden fields beside the form's own.
    helper.form_tag = False
    helper.disable_csrf = True


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's password reset form, queueing its e-mail instead of sending it in the request.

    The message is rendered here, where the reset link's context is (it holds the user and a
    token, which a task could not carry), and the task only sends the finished text.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The address your account uses, for example name@nhs.net"
        email.error_messages["required"] = "Enter your email address"
        email.error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@nhs.net"
        )
        email.widget.attrs["class"] = "nhsuk-u-width-two-thirds"
        self.helper = FormHelper()
        _page_draws_form_tag(self.helper)
        self.helper.layout = Layout("email")
        self.helper.add_input(Submit("send", "Send the reset link"))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The same rendering as Django's own send_mail: a subject must be one line.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        send_email.enqueue(
            subject=subject,
            body=loader.render_to_string(email_template_name, context),
            to=[to_email],
            from_email=from_email,
            html_body=(
                loader.render_to_string(html_email_template_name, context)
                if html_email_template_name
                else None
            ),
        )


def _new_password_fields(form) -> None:
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    first.label = "New password"
    first.help_text = PASSWORD_HINT
    first.error_messages["required"] = "Enter a new password"
    second.label = "Type the new password again"
    second.help_text = ""
    second.error_messages["required"] = "Type the new password again"
    form.error_messages = {
        **form.error_messages,
        "password_mismatch": "The passwords do not match: type the same one twice",
    }


class SetPasswordForm(DjangoSetPasswordForm):
    """Choose a new password from a reset link, with errors that say what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_fields(self)
        self.helper = FormHelper()
        _page_draws_form_tag(self.helper)
        self.helper.layout = Layout("new_password1", "new_password2")
        self.helper.add_input(Submit("save", "Save the new password"))


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Change one's password, giving the current one first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        old = self.fields["old_password"]
        old.label = "Current password"
        old.error_messages["required"] = "Enter your current password"
        # Focus moves to the error summary when there is one, and to the heading otherwise.
        old.widget.attrs.pop("autofocus", None)
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again",
        }
        _new_password_fields(self)
        self.helper = FormHelper()
        _page_draws_form_tag(self.helper)
        self.helper.layout = Layout("old_password", "new_password1", "new_password2")
        self.helper.add_input(Submit("save", "Change your password"))
