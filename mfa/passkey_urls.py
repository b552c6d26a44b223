"""django-otp-webauthn's ceremony addresses, under the names its template tags reverse
("otp_webauthn:…"), each reachable before the session has proved a second factor: proving one
with a passkey, or adding a first one, is how it does. The library's registration views refuse
a session that has a second factor and has not proved it."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialRegistrationView,
)

from .middleware import reachable_before_second_factor
from .passkeys import CompleteAuthentication

app_name = "otp_webauthn"


def _before(view_class, **initkwargs):
    return reachable_before_second_factor(view_class.as_view(**initkwargs))


urlpatterns = [
    path(
        "registration/begin/",
        _before(BeginCredentialRegistrationView),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        _before(CompleteCredentialRegistrationView),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        _before(BeginCredentialAuthenticationView),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        _before(CompleteAuthentication),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        _before(JavaScriptCatalog, packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
