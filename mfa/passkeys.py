"""Passkeys through django-otp-webauthn, as a second factor only: the relying party and the
expected origin taken from the request, and the view that finishes proving a sign-in with a
passkey sending the person where the code page would have.

The host comes from `request.get_host()`, which Django checks against ALLOWED_HOSTS, so a
forged Host header cannot choose the relying party. A passkey is bound to that host name;
browsers refuse an IP address as one, so passkeys are offered only on a named host (under
`make run`, http://localhost:8000/ rather than http://127.0.0.1:8000/).
"""

import ipaddress
from urllib.parse import urlsplit

from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import CompleteCredentialAuthenticationView

from .navigation import after_verifying_url


def relying_party_id(request: HttpRequest) -> str:
    """The host name the browser shows, without its port."""
    return urlsplit(f"//{request.get_host()}").hostname or ""


def passkeys_possible(request: HttpRequest) -> bool:
    """Whether browsers will make a passkey for this host: not for an IP address."""
    try:
        ipaddress.ip_address(relying_party_id(request))
    except ValueError:
        return True
    return False


class PortalWebAuthnHelper(WebAuthnHelper):
    """django-otp-webauthn's helper, expecting the origin the request came to."""

    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class CompleteAuthentication(CompleteCredentialAuthenticationView):
    """Finish proving the sign-in with a passkey, then go where the code page would go."""

    def complete_auth(self, device):
        super().complete_auth(device)
        # A new session key for the verified session, as Django gives one at sign-in.
        self.request.session.cycle_key()

    def get_success_url(self):
        return after_verifying_url(self.request, self.request.GET.get("next", ""))
