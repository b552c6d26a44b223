"""A person's second factors: their authenticator app (a django-otp TOTP device), their
passkeys (django-otp-webauthn credentials) and their recovery codes (a django-otp static
device), with the rules for checking a code, setting one up and taking one away.

Checking a code locks the device for a while after each wrong one (django-otp's throttling,
1, 2, 4, 8… seconds after each failure in a row); the row is locked while it is checked, so
that guesses sent at once wait for each other instead of sharing one allowance. A recovery code
is deleted as it is used, so it works once.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from induction.models import can_change_content

AUTHENTICATOR_APP = "Authenticator app"
RECOVERY_CODES = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def authenticator_app(user) -> TOTPDevice | None:
    """The user's authenticator app, once set up (one per person)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def passkeys(user):
    """The user's passkeys, oldest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def recovery_codes(user) -> StaticDevice | None:
    """The device holding the user's unused recovery codes, if they were ever given some."""
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def has_sign_in_factor(user) -> bool:
    """Whether the user has an authenticator app or a passkey: something to sign in with every
    day. Recovery codes are only for when those are lost."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_any_factor(user) -> bool:
    """Whether the user has set up anything: then nothing new may be added by a session that
    has not proved one of them."""
    return any(
        model.objects.filter(user=user, confirmed=True).exists()
        for model in (TOTPDevice, WebAuthnCredential, StaticDevice)
    )


# --- Checking a code -----------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """What checking a code found: the device it proved, or why not."""

    device: Device | None = None
    locked_until: datetime.datetime | None = None
    # Wrong codes in a row so far, when locked.
    failures: int = 0

    @property
    def verified(self) -> bool:
        return self.device is not None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def check_code(device: TOTPDevice | StaticDevice, code: str) -> Check:
    """Check a code against one device, under a row lock. A locked device refuses every code,
    the right one included, until the lock ends; a wrong code locks it for longer."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return Check(locked_until=details["locked_until"], failures=details["failure_count"])
        if device.verify_token(code):
            return Check(device=device)
        return Check()


def wait_words(locked_until: datetime.datetime) -> str:
    """How long until a lock ends, in plain words: "3 seconds", "2 minutes", "1 hour"."""
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = math.ceil(seconds / size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


# --- Setting up and taking away ------------------------------------------------------------


def pending_authenticator_app(user) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept (unconfirmed) until the person
    types a code it makes, so that reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP, confirmed=False)
    return device


def confirm_authenticator_app(device: TOTPDevice, code: str) -> Check:
    """Set up the app if the code is one it makes now; any other pending secret is dropped."""
    check = check_code(device, code)
    if check.verified:
        confirmed = check.device
        confirmed.confirmed = True
        confirmed.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return check


def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes, replacing any the user had: the old ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": RECOVERY_CODES}
        )
        device.token_set.all().delete()
        device.throttle_reset()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalised_recovery_code(typed: str) -> str:
    """A recovery code as stored: the spaces and dashes people type or copy removed, lower case."""
    return "".join(typed.split()).replace("-", "").lower()


def others_to_sign_in_with(user, device: Device) -> bool:
    """Whether the user has an app or passkey besides this one."""
    apps = TOTPDevice.objects.filter(user=user, confirmed=True)
    keys = passkeys(user)
    if isinstance(device, TOTPDevice):
        apps = apps.exclude(pk=device.pk)
    else:
        keys = keys.exclude(pk=device.pk)
    return apps.exists() or keys.exists()


def may_remove(user, device: Device) -> bool:
    """Whether the user may remove this app or passkey: someone who must use a second factor
    keeps at least one to sign in with."""
    return not can_change_content(user) or others_to_sign_in_with(user, device)


def remove(user, device: Device) -> None:
    """Remove an app or passkey. Removing the last one also removes the recovery codes: they
    are a way back into two-step sign-in, and there is none left to come back to."""
    with transaction.atomic():
        device.delete()
        if not has_sign_in_factor(user):
            StaticDevice.objects.filter(user=user).delete()
