"""Fixtures for the MFA tests: the induction tests' trusts, packs and people (all with password
`password`), and signing in through the real form, as a person does."""

import pytest

from tests.induction.conftest import *  # noqa: F403 - the shared trusts, packs and people
from tests.induction.conftest import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-step/"
RECOVERY = "/accounts/two-step/recovery-code/"
SET_UP = "/accounts/two-step/set-up/"
NEW_CODES = "/accounts/two-step/recovery-codes/"
DEVICES = "/account/two-step/"


def sign_in_with_password(client, user, *, next_page=""):
    """Post the sign-in form as a browser would; returns its response."""
    data = {"username": user.username, "password": PASSWORD}
    if next_page:
        data["next"] = next_page
    response = client.post(LOGIN, data, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302, "the password sign-in failed"
    return response


@pytest.fixture
def signed_in(client):
    """Sign a client in with a password: `signed_in(user)` returns the client."""

    def sign_in(user, **kwargs):
        sign_in_with_password(client, user, **kwargs)
        return client

    return sign_in
