"""Second factors for tests that sign in with a password as someone who must prove one
(mfa/policy.py): an authenticator app whose codes the test computes, and recovery codes made
one at a time, so that a test can sign in as often as it needs.

An authenticator app accepts each code once (and the codes of the 30-second steps either side
of now), so a test that signs in twice within a minute uses recovery codes instead.
"""

import os
import re
import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mfa.devices import AUTHENTICATOR_APP, RECOVERY_CODES

RECOVERY = "/accounts/two-step/recovery-code/"


def add_authenticator_app(user) -> TOTPDevice:
    """Give the user a set-up authenticator app (the one they have, if they have one)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": AUTHENTICATOR_APP}
    )
    return device


def app_code(device: TOTPDevice, *, steps_from_now: int = 0) -> str:
    """The 6-digit code the app shows now (or that many 30-second steps away), as a phone
    would compute it from the shared secret."""
    phone = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    phone.time = time.time() + steps_from_now * device.step
    return f"{phone.token():0{device.digits}d}"


def unused_app_code(device: TOTPDevice) -> str:
    """A code the app accepts now: this 30-second step's, or the next one's when this one was
    used already (the app accepts each step's code once, and the step either side of now)."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, step=device.step, t0=device.t0).t()
    for ahead in (0, 1):
        if now + ahead > device.last_t:
            return app_code(device, steps_from_now=ahead)
    raise AssertionError("Both codes the app accepts now have been used: wait 30 seconds.")


def enter_app_code(page, device: TOTPDevice) -> None:
    """In a browser on the MFA step: type a code from the app and continue."""
    main = page.locator("#maincontent")
    main.get_by_label("Code from your authenticator app").fill(unused_app_code(device))
    main.get_by_role("button", name="Continue").click()


def new_recovery_code(user) -> str:
    """One more recovery code for the user, made for this test."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": RECOVERY_CODES}
    )
    code = StaticToken.random_token()
    device.token_set.create(token=code)
    return code


def prove_with_recovery_code(client: Client, user, *, next_page: str = ""):
    """Pass the MFA step of a client that has just signed in with a password, with a fresh
    recovery code, as a browser would (the page's CSRF token included); returns the response,
    a redirect to `next_page` or to the landing page."""
    code = new_recovery_code(user)
    form_page = client.get(RECOVERY).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page).group(1)
    data = {"code": code, "next": next_page, "csrfmiddlewaretoken": token}
    response = client.post(RECOVERY, data)
    assert response.status_code == 302, "the recovery code was refused"
    return response


def add_passkey(user) -> WebAuthnCredential:
    """Give the user a stored passkey (as a browser would have registered; it signs nothing
    here: tests/browser/test_mfa.py registers and uses real ones)."""
    return WebAuthnCredential.objects.create(
        user=user,
        name="Passkey",
        confirmed=True,
        credential_id=os.urandom(16),
        public_key=b"not a real key",
        aaguid="00000000-0000-0000-0000-000000000000",
    )
