"""Managing one's second factors from Your account: the list, removing an app or passkey after
confirming (never the last one of someone who must use two-step sign-in), new recovery codes
that replace the old ones, and a session that has not proved a second factor sent to do so
first."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from induction.models import Membership
from tests.second_factor import add_authenticator_app, add_passkey, app_code, new_recovery_code

from .conftest import DEVICES, NEW_CODES, VERIFY, sign_in_with_password


@pytest.fixture
def verified(client):
    """Sign in with a password and the user's app (made if they have none): the client."""

    def sign_in(user):
        device = TOTPDevice.objects.filter(user=user).first() or add_authenticator_app(user)
        sign_in_with_password(client, user)
        assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302
        return client

    return sign_in


def remove_url(kind, device):
    return f"/account/two-step/{kind}/{device.pk}/remove/"


def test_the_page_lists_the_app_passkeys_and_recovery_codes_left(verified, editor):
    add_passkey(editor)
    new_recovery_code(editor)
    new_recovery_code(editor)
    html = verified(editor).get(DEVICES).content.decode()
    assert "<h1>Two-step sign-in</h1>" in html
    assert "Authenticator app" in html
    assert "Passkey 1" in html
    assert "You have 2 unused recovery codes." in html
    assert 'id="passkey-register-button"' in html


def test_a_reader_without_a_second_factor_is_told_they_do_not_need_one(client, reader):
    client.force_login(reader)
    html = client.get(DEVICES).content.decode()
    assert "Your account does not need two-step sign-in." in html
    assert "Set up an authenticator app" not in html


def test_a_session_that_has_not_proved_its_second_factor_is_sent_to_do_so(client, reader):
    # A reader is not asked at sign-in, but a password alone never changes their devices.
    add_authenticator_app(reader)
    sign_in_with_password(client, reader)
    response = client.get(DEVICES)
    assert response["Location"] == f"{VERIFY}?next={DEVICES}"


def test_removing_the_app_asks_for_confirmation_then_removes_it(verified, editor):
    client = verified(editor)
    add_passkey(editor)
    app = TOTPDevice.objects.get(user=editor)

    page = client.get(remove_url("app", app))
    assert "<h1>Remove your authenticator app</h1>" in page.content.decode()
    assert TOTPDevice.objects.filter(pk=app.pk).exists()

    response = client.post(remove_url("app", app))
    assert response["Location"] == DEVICES
    assert not TOTPDevice.objects.filter(pk=app.pk).exists()
    assert "Your authenticator app has been removed." in client.get(DEVICES).content.decode()


def test_removing_the_device_the_session_used_keeps_the_session_verified(verified, editor):
    client = verified(editor)
    add_passkey(editor)
    client.post(remove_url("app", TOTPDevice.objects.get(user=editor)))
    assert client.get("/trusts/").status_code == 200


def test_an_editor_cannot_remove_their_only_app(verified, editor):
    client = verified(editor)
    app = TOTPDevice.objects.get(user=editor)

    page = client.get(remove_url("app", app)).content.decode()
    assert "You cannot remove your only authenticator app" in page
    assert 'name="confirm"' not in page

    assert client.post(remove_url("app", app)).status_code == 400
    assert TOTPDevice.objects.filter(pk=app.pk).exists()


def test_an_editor_cannot_remove_their_only_passkey(client, editor):
    passkey = add_passkey(editor)
    # Proved with a passkey elsewhere: the session records it as django-otp would.
    sign_in_with_password(client, editor)
    session = client.session
    session["otp_device_id"] = passkey.persistent_id
    session.save()
    assert client.post(remove_url("passkey", passkey)).status_code == 400
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_reader_removing_their_last_app_turns_two_step_sign_in_off(verified, editor, trust):
    client = verified(editor)
    new_recovery_code(editor)
    Membership.objects.filter(user=editor).update(role=Membership.Role.READER)
    app = TOTPDevice.objects.get(user=editor)

    assert "This turns two-step sign-in off" in client.get(remove_url("app", app)).content.decode()
    client.post(remove_url("app", app))

    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()


def test_someone_else_s_device_is_not_found(verified, editor, approver):
    other = add_authenticator_app(approver)
    client = verified(editor)
    assert client.get(remove_url("app", other)).status_code == 404
    assert client.post(remove_url("app", other)).status_code == 404
    assert client.get(remove_url("phone", other)).status_code == 404


def test_new_recovery_codes_replace_the_old_ones_after_confirming(verified, editor):
    client = verified(editor)
    old = new_recovery_code(editor)

    page = client.get("/account/two-step/recovery-codes/new/").content.decode()
    assert "Your old codes, used or not, will stop working." in page
    response = client.post("/account/two-step/recovery-codes/new/")

    assert response["Location"] == f"{NEW_CODES}?next={DEVICES}"
    tokens = set(StaticDevice.objects.get(user=editor).token_set.values_list("token", flat=True))
    assert len(tokens) == 10
    assert old not in tokens
    assert client.post(NEW_CODES, {"next": DEVICES})["Location"] == DEVICES


def test_a_passkey_added_as_the_first_second_factor_brings_recovery_codes(client, editor):
    # The library's view stored the passkey and verified the session (django-otp).
    sign_in_with_password(client, editor)
    passkey = add_passkey(editor)
    session = client.session
    session["otp_device_id"] = passkey.persistent_id
    session.save()

    response = client.post("/account/two-step/passkey-added/", {"next": "/trusts/"})

    assert response["Location"] == f"{NEW_CODES}?next=/trusts/"
    assert StaticDevice.objects.get(user=editor).token_set.count() == 10


ADMIN_LISTS = [
    "otp_totp/totpdevice",
    "otp_static/staticdevice",
    "django_otp_webauthn/webauthncredential",
]


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_platform_staff_see_people_s_devices_in_the_admin_without_their_secrets(
    client, staff_superuser, editor, model
):
    app = add_authenticator_app(editor)
    code = new_recovery_code(editor)
    add_passkey(editor)
    client.force_login(staff_superuser)
    listing = client.get(f"/admin/{model}/")
    assert listing.status_code == 200
    assert "editor" in listing.content.decode()
    if model == "otp_totp/totpdevice":
        page = client.get(f"/admin/{model}/{app.pk}/change/").content.decode()
        assert app.key not in page
    if model == "otp_static/staticdevice":
        device = StaticDevice.objects.get(user=editor)
        assert code not in client.get(f"/admin/{model}/{device.pk}/change/").content.decode()
