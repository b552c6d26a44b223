"""The MFA step of signing in: enter the code from an authenticator app, use a passkey or a
recovery code, or, for someone who has none yet, set up an app and save the recovery codes it
comes with. Each of these pages is reachable before the session has proved a second factor
(mfa/middleware.py); each ends where the person was going (`next`) or on their landing page.
"""

import logging
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from induction.models import can_change_content
from nhsuk_forms.binding import posted

from . import devices
from .forms import AuthenticatorCodeForm, ConfirmForm, RecoveryCodeForm
from .middleware import reachable_before_second_factor
from .navigation import after_verifying_url, safe_next, with_next
from .passkeys import passkeys_possible
from .policy import NEW_RECOVERY_CODES_KEY, has_proved_second_factor

logger = logging.getLogger(__name__)

WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"
WRONG_RECOVERY_CODE = (
    "That recovery code is not right, or has been used already. Check it and try again, or "
    "use another of your codes"
)
LOW_ON_CODES = 3


def locked_message(check: devices.Check) -> str:
    times = "once" if check.failures == 1 else f"{check.failures} times in a row"
    return (
        f"You have entered a wrong code {times}. For your security, wait "
        f"{devices.wait_words(check.locked_until)}, then try again"
    )


def mark_verified(request, device) -> None:
    """The session has proved a second factor with this device: record it (django-otp) under a
    new session key, as Django gives one at sign-in."""
    otp_login(request, device)
    request.session.cycle_key()
    logger.info("User %s proved a second factor (%s).", request.user.pk, device.persistent_id)


def code_error(request, form, check: devices.Check, wrong: str) -> None:
    if check.locked:
        logger.warning("Second factor locked after wrong codes for user %s.", request.user.pk)
        form.add_error("code", locked_message(check))
    else:
        form.add_error("code", wrong)


def page(request, template, context, form=None):
    """Render an MFA page: 400 when its form was sent with errors, as the portal's forms do."""
    status = 400 if form is not None and form.errors else 200
    return render(request, template, {"next": safe_next(request), **context}, status=status)


@reachable_before_second_factor
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Enter the code from the authenticator app, or use a passkey; the way to a recovery code.
    Someone who has none of these yet is sent to set up an app."""
    user = request.user
    next_url = safe_next(request)
    if has_proved_second_factor(request):
        return redirect(after_verifying_url(request))
    app = devices.authenticator_app(user)
    has_passkeys = devices.passkeys(user).exists()
    recovery = devices.recovery_codes(user)
    if app is None and not has_passkeys:
        if recovery is not None:
            return redirect(with_next(reverse("mfa:recovery"), next_url))
        if can_change_content(user):
            return redirect(with_next(reverse("mfa:set_up"), next_url))
        return redirect(after_verifying_url(request))
    form = AuthenticatorCodeForm(posted(request)) if app is not None else None
    if request.method == "POST" and form is not None and form.is_valid():
        check = devices.check_code(app, form.cleaned_data["code"])
        if check.verified:
            mark_verified(request, check.device)
            return redirect(after_verifying_url(request))
        code_error(request, form, check, WRONG_CODE)
    context = {
        "form": form,
        "has_passkeys": has_passkeys,
        "passkeys_here": passkeys_possible(request),
        "has_recovery_codes": recovery is not None,
    }
    return page(request, "mfa/verify.html", context, form)


@reachable_before_second_factor
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery(request):
    """Prove the sign-in with one of the recovery codes; that code then stops working."""
    if has_proved_second_factor(request):
        return redirect(after_verifying_url(request))
    recovery_device = devices.recovery_codes(request.user)
    if recovery_device is None:
        return redirect(with_next(reverse("mfa:verify"), safe_next(request)))
    form = RecoveryCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        typed = devices.normalised_recovery_code(form.cleaned_data["code"])
        check = devices.check_code(recovery_device, typed)
        if check.verified:
            mark_verified(request, check.device)
            left = check.device.token_set.count()
            messages.info(request, used_code_message(left))
            return redirect(after_verifying_url(request))
        code_error(request, form, check, WRONG_RECOVERY_CODE)
    return page(request, "mfa/recovery.html", {"form": form}, form)


def used_code_message(left: int) -> str:
    words = f"You have used a recovery code. You have {left} left."
    if left <= LOW_ON_CODES:
        words += " Get new codes from Two-step sign-in on Your account page."
    return words


@reachable_before_second_factor
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code the
    app makes. Someone who has a second factor already must prove it first, so that knowing a
    password is never enough to add one."""
    user = request.user
    next_url = safe_next(request)
    if devices.has_any_factor(user) and not has_proved_second_factor(request):
        return redirect(with_next(reverse("mfa:verify"), request.get_full_path()))
    if devices.authenticator_app(user) is not None:
        messages.info(request, "You have set up an authenticator app already.")
        return redirect(after_verifying_url(request))
    device = devices.pending_authenticator_app(user)
    form = AuthenticatorCodeForm(posted(request), button="Set up")
    if request.method == "POST" and form.is_valid():
        check = devices.confirm_authenticator_app(device, form.cleaned_data["code"])
        if check.verified:
            mark_verified(request, check.device)
            return after_new_factor(request, next_url, "Your authenticator app is set up.")
        code_error(request, form, check, WRONG_CODE)
    context = {
        "form": form,
        "qr_code": qr_code_svg(device.config_url),
        "key_groups": key_groups(device.bin_key),
        "passkeys_possible": passkeys_possible(request),
        "required": can_change_content(user),
    }
    return page(request, "mfa/set_up.html", context, form)


def qr_code_svg(text: str) -> str:
    """The QR code as inline SVG, drawn here: no image request, nothing sent elsewhere."""
    svg = segno.make(text, error="m").svg_inline(scale=5, dark="#212b32", light="#ffffff")
    label = "QR code for your authenticator app. If you cannot scan it, type the key below."
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)


def key_groups(key: bytes) -> list[str]:
    """The secret as authenticator apps ask for it, base32, in groups of 4 to read and type."""
    text = b32encode(key).decode("ascii").rstrip("=")
    return [text[start : start + 4] for start in range(0, len(text), 4)]


def after_new_factor(request, next_url: str, done: str):
    """After the first app or passkey: the recovery codes, shown once. After another: on."""
    if devices.recovery_codes(request.user) is None:
        request.session[NEW_RECOVERY_CODES_KEY] = devices.new_recovery_codes(request.user)
        return redirect(with_next(reverse("mfa:new_recovery_codes"), next_url))
    messages.success(request, done)
    return redirect(after_verifying_url(request, next_url))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new_recovery_codes(request):
    """The recovery codes just made, shown this once, until the person says they have saved
    them."""
    codes = request.session.get(NEW_RECOVERY_CODES_KEY)
    if not codes:
        return redirect(after_verifying_url(request))
    form = ConfirmForm(posted(request), button="I have saved these codes")
    if request.method == "POST" and form.is_valid():
        del request.session[NEW_RECOVERY_CODES_KEY]
        messages.success(request, "Two-step sign-in is set up. Keep your recovery codes safe.")
        return redirect(after_verifying_url(request))
    return page(request, "mfa/new_recovery_codes.html", {"form": form, "codes": codes}, form)
