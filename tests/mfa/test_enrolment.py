"""Setting up two-step sign-in at the first sign-in: an authenticator app from a QR code drawn
on the page as SVG (or its key typed by hand), confirmed with a code it makes, then 10 recovery
codes shown once until the person says they have saved them. Someone who has a second factor
already must prove it before setting up another."""

import re
from base64 import b32encode

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mfa.devices import RECOVERY_CODE_COUNT
from tests.second_factor import add_authenticator_app, app_code, new_recovery_code

from .conftest import NEW_CODES, SET_UP, VERIFY, sign_in_with_password

EDIT = "/trusts/testshire/induction/edit/"


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def shown_key(html: str) -> str:
    block = re.search(r'<p class="app-secret-key" id="secret-key">(.*?)</p>', html).group(1)
    return "".join(re.findall(r"<span>([A-Z2-7]{1,4})</span>", block))


def test_the_set_up_page_shows_a_qr_code_as_inline_svg_and_the_key_as_text(client, editor):
    sign_in_with_password(client, editor)
    html = client.get(SET_UP).content.decode()

    assert "<h1>Set up two-step sign-in</h1>" in html
    assert re.search(r'<svg role="img" aria-label="QR code for your authenticator app[^"]*"', html)
    assert "<img" not in html.split('class="app-qr-code"')[1].split("</div>")[0]
    device = pending_device(editor)
    assert shown_key(html) == b32encode(device.bin_key).decode().rstrip("=")


def test_reloading_the_set_up_page_keeps_the_same_key(client, editor):
    sign_in_with_password(client, editor)
    first = shown_key(client.get(SET_UP).content.decode())
    assert shown_key(client.get(SET_UP).content.decode()) == first
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_a_code_from_the_app_sets_it_up_and_shows_10_recovery_codes_once(client, pack, editor):
    sign_in_with_password(client, editor)
    client.get(SET_UP)
    device = pending_device(editor)

    response = client.post(SET_UP, {"code": app_code(device), "next": EDIT})

    assert response["Location"] == f"{NEW_CODES}?next={EDIT}"
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"]).content.decode()
    stored = set(StaticDevice.objects.get(user=editor).token_set.values_list("token", flat=True))
    shown = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page))
    assert len(shown) == RECOVERY_CODE_COUNT
    assert shown == stored
    assert "We will show these codes only once" in codes_page

    saved = client.post(NEW_CODES, {"next": EDIT})
    assert saved["Location"] == EDIT
    assert client.get(EDIT).status_code == 200
    # Shown once: the page now has nothing to show.
    assert client.get(NEW_CODES)["Location"] == EDIT


def test_a_wrong_code_sets_nothing_up(client, editor):
    sign_in_with_password(client, editor)
    client.get(SET_UP)
    device = pending_device(editor)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(SET_UP, {"code": wrong})

    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert client.get("/trusts/")["Location"] == f"{VERIFY}?next=/trusts/"


def test_someone_with_a_second_factor_must_prove_it_before_setting_up_another(client, editor):
    # An editor whose only second factor left is their recovery codes...
    new_recovery_code(editor)
    sign_in_with_password(client, editor)
    # ...cannot add an app with only their password.
    response = client.get(SET_UP)
    assert response["Location"].startswith(f"{VERIFY}?next=")
    assert client.post(SET_UP, {"code": "123456"})["Location"].startswith(VERIFY)


def test_an_editor_who_has_an_app_is_told_so_on_the_set_up_page(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    client.post(VERIFY, {"code": app_code(device)})
    response = client.get(SET_UP)
    assert response.status_code == 302
    assert "You have set up an authenticator app already." in client.get(
        response["Location"]
    ).content.decode()


def test_setting_up_an_app_when_recovery_codes_exist_keeps_them(client, editor):
    code = new_recovery_code(editor)
    sign_in_with_password(client, editor)
    # Recovery codes alone: the step asks for one.
    assert client.get(VERIFY)["Location"] == "/accounts/two-step/recovery-code/"
    client.post("/accounts/two-step/recovery-code/", {"code": code})
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": app_code(pending_device(editor))})
    assert not response["Location"].startswith(NEW_CODES)
