"""The account forms: signing in, in NHS.UK style and plain words, and asking for a password
reset, whose e-mail goes through the task queue."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
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


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's password reset form, queueing its e-mail instead of sending it in the request.

    The message is rendered here, where the reset link's context is (it holds the user and a
    token, which a task could not carry), and the task only sends the finished text.
    """

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
