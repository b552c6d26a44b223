"""The check that every trust with single sign-on switched on can use it: its client secret's
environment variable is set. It reads the database, so Django runs it with `migrate` and with
`check --database default` (add --deploy for the other production checks)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def sign_on_secrets_are_set(app_configs, databases=None, **kwargs):
    """A trust whose single sign-on is on but whose secret is missing cannot sign anyone in:
    its members would meet a "not available" page."""
    if not databases:
        return []
    from .models import TrustSignOn

    try:
        sign_ons = list(TrustSignOn.objects.enabled().select_related("trust"))
    except DatabaseError:
        # Not migrated yet: there is nothing to check.
        return []
    return [
        Warning(
            f"Single sign-on of {sign_on.trust} is on, but the environment variable "
            f"{sign_on.client_secret_variable} that holds its client secret is not set.",
            hint=f"Set {sign_on.client_secret_variable} on every web server to the client "
            "secret of the portal's app registration in the trust's Microsoft Entra ID, or "
            "switch the trust's single sign-on off in the admin.",
            obj=sign_on,
            id="sso.W001",
        )
        for sign_on in sign_ons
        if not sign_on.client_secret()
    ]
