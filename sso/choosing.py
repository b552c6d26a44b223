"""Which trusts offer single sign-on on the sign-in pages, and the Content-Security-Policy that
lets their form lead to those trusts' sign-in services."""

from urllib.parse import urlsplit

from .models import TrustSignOn


def enabled_sign_ons():
    """The trusts with single sign-on on, by name."""
    return TrustSignOn.objects.enabled().select_related("trust").order_by("trust__name")


def allow_provider_redirects(response, sign_ons):
    """Let a form on this page lead, through the portal's redirects, to the trusts' sign-in
    services: browsers hold every redirect after a form to the page's CSP form-action, which
    is otherwise the portal alone. The issuers' origins are those of their sign-in pages
    (Entra ID's are all https://login.microsoftonline.com)."""
    origins = sorted({_origin(sign_on.issuer) for sign_on in sign_ons})
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
