"""The people the test provider can sign in, and the claims of their ID tokens, as tests
register them. The live server answers from a thread of the test process, so it sees what the
test registered."""

from django.contrib.auth import get_user_model

# name -> claims (sub, oid, email, email_verified, tid, groups, amr, given_name…)
IDENTITIES: dict[str, dict] = {}
# The provider's own record of who signed in there is a user row (django-oauth-toolkit's grants
# and tokens point at one); it has no e-mail address, so the portal can never match it.
USERNAME_PREFIX = "test-idp-"


def register(name: str, **claims) -> dict:
    """Let the provider sign in `name`, whose ID tokens will carry `claims`."""
    IDENTITIES[name] = claims
    return claims


def forget_all() -> None:
    IDENTITIES.clear()


def provider_user(name: str):
    """The provider's user row for a registered identity."""
    user, _ = get_user_model().objects.get_or_create(
        username=f"{USERNAME_PREFIX}{name}", defaults={"email": ""}
    )
    return user


def claims_of(user) -> dict:
    """The claims registered for the identity a provider user row stands for."""
    name = user.get_username().removeprefix(USERNAME_PREFIX)
    return dict(IDENTITIES.get(name, {}))
