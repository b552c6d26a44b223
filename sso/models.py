"""Each trust's single sign-on through its Microsoft Entra ID tenant, the mapping of the
tenant's groups to portal roles, and the link between a portal user and their account in the
tenant.

The client secret is never stored: `TrustSignOn` holds the name of the environment variable
that has it, so the admin can neither show nor leak it.
"""

import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from induction.models import Membership, Trust

# Only variables named for this purpose can be read, so that a mistyped (or malicious) name can
# never send another of the server's secrets, such as DJANGO_SECRET_KEY, to a token endpoint.
SECRET_VARIABLE_PREFIX = "MDPORTAL_SSO_"
secret_variable_validator = RegexValidator(
    rf"^{SECRET_VARIABLE_PREFIX}[A-Z0-9_]+$",
    f"Enter the name of an environment variable that starts with {SECRET_VARIABLE_PREFIX}, "
    f"in capital letters, digits and underscores, for example {SECRET_VARIABLE_PREFIX}NORTHSHIRE",
)
domain_list_validator = RegexValidator(
    r"^\s*([a-z0-9-]+(\.[a-z0-9-]+)+)(\s*,\s*[a-z0-9-]+(\.[a-z0-9-]+)+)*\s*$",
    "Enter e-mail domains in lower case, separated by commas, for example "
    "northshire.nhs.uk, nhs.net",
)
MICROSOFT_LOGIN_HOST = "login.microsoftonline.com"


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (where a provider may speak plain HTTP: tests only)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TrustSignOnQuerySet(models.QuerySet):
    def enabled(self):
        """The trusts whose members may sign in through their tenant now."""
        return self.filter(enabled=True)


class TrustSignOn(models.Model):
    """A trust's single sign-on: its Microsoft Entra ID tenant (any OpenID Connect provider
    whose ID tokens carry a `tid` claim), the portal's app registration there, and who may
    come in.

    Members are matched by the verified e-mail address in the ID token and the tenant, never
    by name (sso/signing_in.py). A first sign-in makes an account only if
    `allow_just_in_time_accounts` is on, and then as a reader.
    """

    trust = models.OneToOneField(Trust, on_delete=models.CASCADE, related_name="sign_on")
    enabled = models.BooleanField(
        default=False,
        help_text="Members can sign in with their trust account, and the sign-in page lists "
        "the trust.",
    )
    issuer = models.URLField(
        max_length=300,
        help_text="The tenant's issuer, for Microsoft Entra ID "
        "https://login.microsoftonline.com/<tenant ID>/v2.0. The portal reads the provider's "
        "addresses and keys from <issuer>/.well-known/openid-configuration.",
    )
    tenant_id = models.CharField(
        "tenant ID",
        max_length=64,
        help_text="The Directory (tenant) ID of the trust's Microsoft Entra ID. Every ID token's "
        "tid claim must be this.",
    )
    client_id = models.CharField(
        "client ID",
        max_length=200,
        help_text="The Application (client) ID of the portal's app registration in the tenant.",
    )
    client_secret_variable = models.CharField(
        "client secret's environment variable",
        max_length=100,
        validators=[secret_variable_validator],
        help_text="The NAME of the environment variable that holds the client secret on every "
        "web server, for example MDPORTAL_SSO_NORTHSHIRE. The secret itself is never stored "
        "in the database or shown here.",
    )
    allow_just_in_time_accounts = models.BooleanField(
        "allow just-in-time accounts",
        default=False,
        help_text="Anyone in the tenant with a verified e-mail address who signs in becomes a "
        "reader of the trust. Off: only the trust's members and people it has invited.",
    )
    email_domains = models.CharField(
        "e-mail domains",
        max_length=500,
        blank=True,
        validators=[domain_list_validator],
        help_text="Recommended: the e-mail domains the tenant owns, separated by commas (for "
        "example northshire.nhs.uk). Addresses in other domains are refused, so that the "
        "tenant cannot claim a portal account whose address belongs to someone else. Empty: "
        "any verified address.",
    )

    objects = TrustSignOnQuerySet.as_manager()

    class Meta:
        verbose_name = "trust's single sign-on"
        verbose_name_plural = "trusts' single sign-on"
        ordering = ["trust__name"]

    def __str__(self):
        return f"Single sign-on of {self.trust}"

    def clean(self):
        errors = {}
        self.issuer = (self.issuer or "").strip().rstrip("/")
        self.tenant_id = (self.tenant_id or "").strip().lower()
        self.client_id = (self.client_id or "").strip()
        self.email_domains = ", ".join(self.allowed_domains())
        parts = urlsplit(self.issuer)
        if parts.scheme != "https" and not (
            parts.scheme == "http" and is_loopback(parts.hostname or "")
        ):
            errors["issuer"] = "Enter the issuer's https address"
        elif parts.query or parts.fragment:
            errors["issuer"] = "Enter the issuer without a query or fragment"
        elif (
            parts.hostname == MICROSOFT_LOGIN_HOST
            and self.tenant_id
            and (self.tenant_id not in parts.path.lower())
        ):
            # The shared /common/ and /organizations/ issuers would accept any tenant's users.
            errors["issuer"] = (
                "Enter the tenant's own issuer, "
                f"https://{MICROSOFT_LOGIN_HOST}/{self.tenant_id}/v2.0"
            )
        if errors:
            raise ValidationError(errors)

    def client_secret(self) -> str:
        """The client secret from the environment; empty if the variable is not set."""
        return os.environ.get(self.client_secret_variable, "").strip()

    def allowed_domains(self) -> list[str]:
        """The e-mail domains the tenant may vouch for; empty: any."""
        return [d.strip().lower() for d in (self.email_domains or "").split(",") if d.strip()]

    def allows_email(self, email: str) -> bool:
        """Whether a verified address from the tenant may be matched with portal accounts."""
        domains = self.allowed_domains()
        return not domains or email.rpartition("@")[2].lower() in domains

    @staticmethod
    def redirect_uri() -> str:
        """The redirect URI to register in the tenant: the same for every trust."""
        return settings.PDF_SITE_URL.rstrip("/") + "/accounts/sso/callback/"


class GroupMapping(models.Model):
    """Members of a tenant's group (by its object ID) hold a role in the trust. Read at every
    sign-in: a role the mapping gave is taken away when they leave the group."""

    MAPPED_ROLES = [Membership.Role.EDITOR, Membership.Role.APPROVER]

    sign_on = models.ForeignKey(
        TrustSignOn, on_delete=models.CASCADE, related_name="group_mappings"
    )
    group_id = models.CharField(
        "group object ID",
        max_length=64,
        help_text="The Object ID of the group in Microsoft Entra ID (the groups claim).",
    )
    role = models.CharField(
        max_length=20,
        choices=[(role.value, role.label) for role in MAPPED_ROLES],
    )

    class Meta:
        ordering = ["sign_on", "role", "group_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sign_on", "group_id", "role"], name="unique_group_mapping"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["editor", "approver"]),
                name="group_mapping_gives_editor_or_approver",
            ),
        ]

    def __str__(self):
        return f"Group {self.group_id} → {self.role}"

    def save(self, *args, **kwargs):
        self.group_id = self.group_id.strip().lower()
        super().save(*args, **kwargs)


class SignOnIdentity(models.Model):
    """A portal user's account in a trust's tenant: the tenant and the account's object ID
    (`oid`, or `sub` from a provider without one), which never change when the person's
    e-mail address does. Once linked, that account signs in as this user only, and this user
    through that account only, so a changed address cannot take over another account.

    `last_amr` keeps the authentication methods the tenant reported at the last sign-in
    (the `amr` claim: ["pwd", "mfa"]), since the tenant, not the portal, asked for the second
    factor. `roles_from_groups` are the roles the group mapping gave, the only ones it takes
    away.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identities"
    )
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    tenant_id = models.CharField("tenant ID", max_length=64)
    subject = models.CharField(max_length=255, help_text="The account's oid (or sub) claim.")
    email = models.EmailField(help_text="The verified address at the last sign-in.")
    last_amr = models.JSONField(
        "authentication methods at the last sign-in", default=list, blank=True
    )
    roles_from_groups = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField()

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        ordering = ["trust", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "tenant_id", "subject"], name="one_user_per_tenant_account"
            ),
            models.UniqueConstraint(fields=["trust", "user"], name="one_tenant_account_per_user"),
        ]

    def __str__(self):
        return f"{self.user} as {self.email} in {self.trust}"
