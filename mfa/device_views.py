"""The person's own second factors, from Your account: see them, add a passkey, get new
recovery codes, and remove an app or passkey after confirming. A session that has not proved
one of the person's second factors is sent to do so first, so that a password alone never
changes them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from induction.models import can_change_content
from nhsuk_forms.binding import posted

from . import devices
from .forms import ConfirmForm
from .navigation import safe_next, with_next
from .passkeys import passkeys_possible
from .policy import NEW_RECOVERY_CODES_KEY, has_proved_second_factor
from .views import after_new_factor, mark_verified, page

KINDS = {"app": TOTPDevice, "passkey": WebAuthnCredential}


def devices_url() -> str:
    return reverse("mfa:devices")


def proved_first(view):
    """Send a session that has not proved a second factor of the person's to do so first."""

    def wrapped(request, *args, **kwargs):
        if devices.has_any_factor(request.user) and not has_proved_second_factor(request):
            return redirect(with_next(reverse("mfa:verify"), request.get_full_path()))
        return view(request, *args, **kwargs)

    wrapped.__doc__ = view.__doc__
    return wrapped


def crumbs():
    return [
        {"label": "Home", "url": reverse("home")},
        {"label": "Your account", "url": reverse("account")},
    ]


@never_cache
@login_required
@require_safe
@proved_first
def device_list(request):
    """The person's authenticator app, passkeys and recovery codes, with what they can do to
    each."""
    user = request.user
    recovery = devices.recovery_codes(user)
    required = can_change_content(user)
    app = devices.authenticator_app(user)
    keys = list(devices.passkeys(user))
    # Someone who does not need two-step sign-in is not offered it; one who had it keeps the
    # means to remove it.
    manage = required or app is not None or bool(keys)
    context = {
        "breadcrumbs": crumbs(),
        "required": required,
        "manage": manage,
        "app": app,
        "passkeys": keys,
        "recovery_codes_left": recovery.token_set.count() if recovery is not None else None,
        "offer_passkeys": manage and passkeys_possible(request),
        "here": devices_url(),
    }
    return page(request, "mfa/devices.html", context)


@never_cache
@login_required
@require_POST
@proved_first
def passkey_added(request):
    """Where the page goes once the browser has added a passkey (the library's view stored it
    and, for a first second factor, verified the session): a first one brings recovery codes."""
    if not devices.passkeys(request.user).exists():
        return redirect(devices_url())
    return after_new_factor(request, safe_next(request), "Your passkey has been added.")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@proved_first
def remove(request, kind, device_id):
    """Remove an app or passkey after confirming; never the last one of someone who must use
    two-step sign-in."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    device = model.objects.filter(user=request.user, confirmed=True, pk=device_id).first()
    if device is None:
        raise Http404
    allowed = devices.may_remove(request.user, device)
    form = ConfirmForm(posted(request), button="Remove", warning=True)
    if request.method == "POST" and allowed and form.is_valid():
        sessions_device = getattr(request.user.otp_device, "persistent_id", None)
        removed = device.persistent_id
        devices.remove(request.user, device)
        keep_session_verified(request, sessions_device == removed)
        messages.success(request, f"{removed_words(kind)} has been removed.")
        return redirect(devices_url())
    context = {
        "breadcrumbs": crumbs(),
        "form": form,
        "device": device,
        "kind": kind,
        "allowed": allowed,
        "last_one": not devices.others_to_sign_in_with(request.user, device),
    }
    response = page(request, "mfa/remove.html", context, form)
    if request.method == "POST" and not allowed:
        response.status_code = 400
    return response


def removed_words(kind: str) -> str:
    return "Your authenticator app" if kind == "app" else "The passkey"


def keep_session_verified(request, removed_its_device: bool) -> None:
    """Removing the device this session proved itself with must not end the proof: record one
    of the person's remaining factors instead (django-otp forgets a deleted device's proof)."""
    if not removed_its_device:
        return
    remaining = devices.authenticator_app(request.user) or devices.passkeys(request.user).first()
    if remaining is not None:
        mark_verified(request, remaining)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@proved_first
def replace_recovery_codes(request):
    """Get 10 new recovery codes after confirming: the old ones stop working."""
    if not devices.has_sign_in_factor(request.user):
        return redirect(devices_url())
    form = ConfirmForm(posted(request), button="Get new codes")
    if request.method == "POST" and form.is_valid():
        request.session[NEW_RECOVERY_CODES_KEY] = devices.new_recovery_codes(request.user)
        return redirect(with_next(reverse("mfa:new_recovery_codes"), devices_url()))
    context = {"breadcrumbs": crumbs(), "form": form}
    return page(request, "mfa/replace_recovery_codes.html", context, form)
