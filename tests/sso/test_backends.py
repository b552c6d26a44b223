"""The checks on an ID token beyond what mozilla-django-oidc makes: issuer, audience, expiry,
issue time and algorithm, with the nonce and the signature as the library checks them. Tokens
are signed with the test provider's own key, published at its JWKS address, with one claim
changed at a time."""

import time

import jwt
import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from jwcrypto import jwk

from sso.backends import TrustSignOnBackend

from .conftest import CLIENT_ID, TENANT

NONCE = "the-nonce-this-browser-was-given"


def provider_key():
    return settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]


def token(provider, *, key=None, algorithm="RS256", **changes):
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": CLIENT_ID,
        "sub": "pairwise-lee",
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        "tid": TENANT,
        "email": "lee@testshire.nhs.uk",
    }
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    kid = jwk.JWK.from_pem(provider_key().encode()).thumbprint()
    return jwt.encode(claims, key or provider_key(), algorithm=algorithm, headers={"kid": kid})


@pytest.fixture
def backend(sign_on):
    configured = TrustSignOnBackend()
    configured.configure(sign_on)
    return configured


def test_a_token_from_the_provider_passes(backend, provider):
    claims = backend.verify_token(token(provider), nonce=NONCE)
    assert claims["email"] == "lee@testshire.nhs.uk"


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://login.microsoftonline.com/another-tenant/v2.0"},
        {"aud": "another-application"},
        {"exp": int(time.time()) - 3600},
        {"exp": None},
        {"iat": None},
        {"iss": None},
        {"nonce": "another-browser-s-nonce"},
        {"nonce": None},
    ],
    ids=["issuer", "audience", "expired", "no-expiry", "no-issue-time", "no-issuer", "nonce",
         "no-nonce"],
)  # fmt: skip
def test_a_token_with_a_wrong_or_missing_claim_is_refused(backend, provider, changes):
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(provider, **changes), nonce=NONCE)


def test_a_token_signed_with_another_key_is_refused(backend, provider):
    from cryptography.hazmat.primitives.asymmetric import rsa

    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(provider, key=impostor), nonce=NONCE)


def test_a_token_signed_with_the_client_secret_is_refused(backend, provider):
    """HS256 with a shared secret would let anyone holding it make tokens."""
    forged = token(provider, key=backend.OIDC_RP_CLIENT_SECRET, algorithm="HS256")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(forged, nonce=NONCE)


def test_an_unsigned_token_is_refused(backend, provider):
    unsigned = jwt.encode({"iss": provider.issuer, "aud": CLIENT_ID}, None, algorithm="none")
    with pytest.raises((SuspiciousOperation, jwt.PyJWTError)):
        backend.verify_token(unsigned, nonce=NONCE)


def test_the_backend_never_answers_a_password_sign_in(make_user, rf):
    from django.contrib.auth import authenticate

    make_user("local", email="local@testshire.nhs.uk")
    request = rf.post("/accounts/login/")

    user = authenticate(request, username="local", password="password")

    assert user.backend == "django.contrib.auth.backends.ModelBackend"
    assert TrustSignOnBackend().authenticate(request) is None
