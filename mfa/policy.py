"""Who must prove a second factor, and what the session records of it.

Every sign-in through Django's `login()` (the password form, the admin's, an invitation's new
account) marks its session as a local sign-in (`LOCAL_SIGN_IN_KEY`, set on `user_logged_in`),
and a local sign-in must be verified (django-otp's `request.user.is_verified()`: the session
holds the device that proved a code or a passkey) whenever its user can change content:
platform staff, or an editor or approver of any trust (`induction.models.can_change_content`).
That question is asked afresh on every request, so someone made an editor in the middle of a
session is asked at their next page.

Single sign-on (the sso app) sets `SSO_SESSION_KEY` to True after its `login()`: the trust's
own tenant asked for the second factor then, so the portal does not. Each sign-in starts
without it, so a password sign-in in a session that once came through SSO is asked again.
Nothing else about SSO is kept here.

A session with neither mark was never signed in by `login()`: only the test client's
`force_login` makes one (tests/conftest.py removes the mark it would get).
"""

from django.contrib.auth import SESSION_KEY, user_logged_in
from django.dispatch import receiver

from induction.models import can_change_content
from sso.session import SIGNED_IN_BY_SSO, signing_in_by_sso

# Set to True by single sign-on for the sessions it signs in (sso/session.py).
SSO_SESSION_KEY = SIGNED_IN_BY_SSO
# Set by every sign-in through Django's login(): the session is asked for a second factor.
LOCAL_SIGN_IN_KEY = "mdportal_local_sign_in"
# Recovery codes just made, kept until the person says they have saved them (shown once).
NEW_RECOVERY_CODES_KEY = "mdportal_mfa_new_recovery_codes"


@receiver(user_logged_in, dispatch_uid="mfa.policy.mark_local_sign_in")
def mark_local_sign_in(sender, request, user, **kwargs):
    """Each sign-in is asked for a second factor, unless it is a single sign-on (whose tenant
    asked for one): the sso app marks its request before login(), and its own receiver marks
    the session whichever of the two receivers runs first."""
    if request is None or not hasattr(request, "session"):
        return
    if signing_in_by_sso(request):
        request.session.pop(LOCAL_SIGN_IN_KEY, None)
    else:
        request.session[LOCAL_SIGN_IN_KEY] = True


def signed_in_through_sso(request) -> bool:
    return request.session.get(SSO_SESSION_KEY) is True


def needs_verifying(request) -> bool:
    """Whether this request's session must prove a second factor before anything else.

    Costs no query for an anonymous visitor or an SSO session; otherwise one: to find the
    device a verified session used (django-otp's middleware), or, for a session not verified,
    to look for the user's editor and approver roles (none while they are kept in the cache).
    """
    session = request.session
    if SESSION_KEY not in session or not session.get(LOCAL_SIGN_IN_KEY):
        return False
    if signed_in_through_sso(request):
        return False
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return can_change_content(user)


def has_proved_second_factor(request) -> bool:
    """Whether this session may manage second factors: it proved one here, or its sign-in
    came through single sign-on, whose tenant asked for one."""
    return signed_in_through_sso(request) or request.user.is_verified()
