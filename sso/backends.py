"""mozilla-django-oidc's authentication backend, made to serve one trust at a time.

The library reads one provider from settings; here each sign-in is given its trust's
`TrustSignOn`, and the backend takes the provider's endpoints from its discovery document
(sso/provider.py). What the library does is kept: the code is exchanged for tokens at the
token endpoint (with the PKCE verifier), the ID token's signature is checked against the
provider's key and its nonce against the one this browser was given. What it leaves out is
added: the issuer, audience, expiry and issue time are checked too, the keys are cached, and
the claims come from the signed ID token rather than the userinfo endpoint (Entra ID's
userinfo is Microsoft Graph's, which has neither `tid` nor `groups`). Who the claims sign in is
sso/signing_in.py's to decide.

The backend is listed in AUTHENTICATION_BACKENDS so that sessions it starts stay signed in, but
it authenticates only when given a `sign_on`: a password sign-in never reaches it.
"""

import jwt
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import provider, signing_in

# Entra ID signs ID tokens with RS256, and the test provider too; no other algorithm, and
# never "none", is accepted.
SIGNING_ALGORITHM = "RS256"
# How far the provider's clock may be from ours.
CLOCK_SKEW_SECONDS = 60
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


class TrustSignOnBackend(OIDCAuthenticationBackend):
    """Signs in a trust's member from the authorisation code their trust's provider sent."""

    def __init__(self, *args, **kwargs):
        # Not the library's __init__, which reads one provider's settings.
        self.UserModel = get_user_model()
        self.sign_on = None
        self.outcome = None

    def authenticate(self, request, sign_on=None, nonce=None, code_verifier=None):
        """The user that the code in `request` signs in to `sign_on`'s trust, or None when
        the provider gave no usable ID token. SignInRefused, ProviderUnavailable,
        SuspiciousOperation (a token that fails a check) and requests' errors propagate."""
        if sign_on is None:
            return None
        self.configure(sign_on)
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def configure(self, sign_on) -> None:
        """Take the provider, client and secret of `sign_on`'s trust for this sign-in.
        ProviderUnavailable if its discovery document cannot be read."""
        configuration = provider.configuration(sign_on.issuer)
        self.sign_on = sign_on
        self.configuration = configuration
        self.OIDC_OP_TOKEN_ENDPOINT = configuration.token_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = configuration.jwks_uri
        self.OIDC_OP_USER_ENDPOINT = None
        self.OIDC_RP_CLIENT_ID = sign_on.client_id
        self.OIDC_RP_CLIENT_SECRET = sign_on.client_secret()
        self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    def retrieve_matching_jwk(self, token):
        """The provider's key for the token, from the cache, or fetched again once if the
        token names a key the cache does not have (the provider rotated its keys)."""
        header = jwt.get_unverified_header(token)
        for refresh in (False, True):
            keys = provider.signing_keys(self.OIDC_OP_JWKS_ENDPOINT, refresh=refresh)
            found = provider.matching_key(keys, header)
            if found is not None:
                return jwt.PyJWK(found)
        raise SuspiciousOperation("No key of the provider's matches the ID token.")

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[SIGNING_ALGORITHM],
                audience=self.sign_on.client_id,
                issuer=self.sign_on.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"The ID token failed a check: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        self.outcome = signing_in.sign_in(sign_on=self.sign_on, claims=payload)
        return self.outcome.user

    def get_user(self, user_id):
        # Django's rule, which the library's own get_user leaves out: a switched-off account's
        # sessions end.
        return ModelBackend.get_user(self, user_id)
