"""Passkeys as a second factor (django-otp-webauthn): bound to the host name the request came
to (never an IP address), expecting that origin, never a way to sign in without the password,
and never added by a session that has not proved the person's existing second factor. The
ceremonies themselves run in a real browser in tests/browser/test_mfa.py."""

import pytest
from django.test import RequestFactory

from mfa.passkeys import PortalWebAuthnHelper, passkeys_possible, relying_party_id
from tests.second_factor import add_authenticator_app, app_code

from .conftest import VERIFY, sign_in_with_password

BEGIN_REGISTRATION = "/accounts/two-step/passkey/registration/begin/"
BEGIN_AUTHENTICATION = "/accounts/two-step/passkey/authentication/begin/"


@pytest.mark.parametrize(
    "host, expected, possible",
    [
        ("localhost:8000", "localhost", True),
        ("induction.example.nhs.uk", "induction.example.nhs.uk", True),
        ("127.0.0.1:8000", "127.0.0.1", False),
        ("[::1]:8000", "::1", False),
    ],
)
def test_the_relying_party_is_the_host_name_and_an_ip_address_cannot_have_passkeys(
    settings, host, expected, possible
):
    settings.ALLOWED_HOSTS = ["*"]
    request = RequestFactory().get("/", HTTP_HOST=host)
    assert relying_party_id(request) == expected
    assert passkeys_possible(request) is possible


def test_the_expected_origin_is_the_one_the_request_came_to(settings):
    settings.ALLOWED_HOSTS = ["induction.example.nhs.uk"]
    request = RequestFactory().get("/", HTTP_HOST="induction.example.nhs.uk", secure=True)
    helper = PortalWebAuthnHelper(request)
    assert helper.get_allowed_origins() == ["https://induction.example.nhs.uk"]


def test_a_passkey_cannot_sign_anyone_in_without_their_password(client, db):
    response = client.post(BEGIN_AUTHENTICATION, content_type="application/json")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_session_that_has_not_proved_its_app_cannot_add_a_passkey(client, editor):
    add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    response = client.post(BEGIN_REGISTRATION, content_type="application/json")
    assert response.status_code == 403


def test_a_verified_session_gets_options_for_its_own_host(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    client.post(VERIFY, {"code": app_code(device)})
    response = client.post(
        BEGIN_REGISTRATION, content_type="application/json", HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "NHS board induction", "id": "localhost"}
    assert options["user"]["name"] == "editor"


def test_an_editor_without_a_second_factor_may_add_a_passkey_as_their_first(client, editor):
    sign_in_with_password(client, editor)
    response = client.post(
        BEGIN_REGISTRATION, content_type="application/json", HTTP_HOST="localhost"
    )
    assert response.status_code == 200
