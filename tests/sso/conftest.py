"""Fixtures for the single sign-on tests: the induction tests' trusts, packs and people, the
test OpenID Connect provider served by the live server (tests/sso/provider), and `trust` set up
to sign in through it.

  provider        – the live provider: `issuer`, and `register(name, **claims)` to let it sign
                    in `name` with those ID token claims (defaults: a verified address at
                    testshire.nhs.uk, the trust's tenant, amr pwd+mfa)
  sign_on         – `trust`'s single sign-on through the provider, enabled, its secret in
                    MDPORTAL_SSO_TESTSHIRE, no just-in-time accounts, no group mapping
  sso_sign_in     – `sso_sign_in(client, name, next=None)` signs in at the provider as `name`
                    and runs the whole sign-in with the Django test client, following every
                    redirect; the portal's calls to the provider go over HTTP
"""

import pytest
from django.core.cache import cache

from sso.models import TrustSignOn
from tests.induction.conftest import *  # noqa: F403 - the shared trusts, packs and people
from tests.sso.provider import identities

TENANT = "6f1b2c3d-0000-4000-8000-00000000a001"
OTHER_TENANT = "6f1b2c3d-0000-4000-8000-00000000b002"
CLIENT_ID = "mdportal-testshire"
CLIENT_SECRET = "a-test-client-secret-for-testshire"
SECRET_VARIABLE = "MDPORTAL_SSO_TESTSHIRE"
EDITORS_GROUP = "a7c1e4a0-0000-4000-8000-0000000000ed"
APPROVERS_GROUP = "a7c1e4a0-0000-4000-8000-0000000000ap"


class Provider:
    """The test provider on the live server, as the portal sees it."""

    def __init__(self, live_server):
        self.port = live_server.thread.port
        # Another origin from the portal's (localhost), as a real provider is.
        self.origin = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.origin}/test-oidc/o"
        self.portal = live_server.url

    def register(self, name: str, **claims) -> dict:
        defaults = {
            "sub": f"pairwise-{name}",
            "oid": f"oid-{name}",
            "email": f"{name}@testshire.nhs.uk",
            "email_verified": True,
            "tid": TENANT,
            "given_name": name.capitalize(),
            "family_name": "Tester",
            "amr": ["pwd", "mfa"],
        }
        return identities.register(name, **{**defaults, **claims})

    def application(self, client_id=CLIENT_ID, secret=CLIENT_SECRET):
        """The portal's registration at the provider, as at Entra ID."""
        from oauth2_provider.models import get_application_model

        application_model = get_application_model()
        return application_model.objects.create(
            name=f"Board induction portal ({client_id})",
            client_id=client_id,
            client_secret=secret,
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
            # The test client's host, and the live server's (for the browser).
            redirect_uris=(
                f"http://testserver/accounts/sso/callback/ {self.portal}/accounts/sso/callback/"
            ),
            algorithm=application_model.RS256_ALGORITHM,
            skip_authorization=True,
        )


@pytest.fixture
def provider(live_server):
    identities.forget_all()
    cache.clear()
    yield Provider(live_server)
    identities.forget_all()


@pytest.fixture
def sign_on(provider, trust, pack, monkeypatch):
    provider.application()
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    return TrustSignOn.objects.create(
        trust=trust,
        enabled=True,
        issuer=provider.issuer,
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret_variable=SECRET_VARIABLE,
    )


@pytest.fixture
def sso_sign_in(provider):
    def sign_in(client, name, *, next=None, slug=None, sign_on_slug="testshire"):
        # Signed in at the provider first, as someone already signed in to their trust's
        # Microsoft account is.
        client.post("/test-oidc/sign-in/", {"identity": name})
        url = f"/accounts/sso/{slug or sign_on_slug}/"
        if next is not None:
            url += f"?next={next}"
        return client.get(url, follow=True)

    return sign_in
