"""What a single sign-on keeps in the session: the sign-ins under way (which trust each state
belongs to, and where to go afterwards), and the mark that this session was signed in through
a trust's tenant.

`SIGNED_IN_BY_SSO` ("mdportal_sso") is read by the MFA checks: a session with it took its
second factor, if any, from the tenant (see `SignOnIdentity.last_amr`). Every sign-in sets or
clears it as it is made: the single sign-on callback marks its request (`request.mdportal_sso`,
which other receivers of `user_logged_in` can read too) before calling `login()`, and any other
sign-in, even in the same session, clears it.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_BY_SSO = "mdportal_sso"
FLOWS = "mdportal_sso_flows"
# As many sign-ins under way at once as mozilla-django-oidc keeps states for.
MAX_FLOWS = 50


@receiver(user_logged_in, dispatch_uid="sso.note_how_signed_in")
def note_how_signed_in(sender, request, user, **kwargs):
    """Mark the session of a single sign-on, and unmark it at any other sign-in."""
    if request is None or not hasattr(request, "session"):
        return
    if signing_in_by_sso(request):
        request.session[SIGNED_IN_BY_SSO] = True
    else:
        request.session.pop(SIGNED_IN_BY_SSO, None)


def mark_signing_in_by_sso(request) -> None:
    """Say, before `login()`, that this request's sign-in is a single sign-on."""
    request.mdportal_sso = True


def signing_in_by_sso(request) -> bool:
    return getattr(request, "mdportal_sso", False) is True


def remember_flow(request, state: str, *, trust_id: int, next_url: str | None) -> None:
    """Keep which trust a sign-in with `state` is for, and where it should land."""
    flows = dict(request.session.get(FLOWS) or {})
    started = request.session.get("oidc_states") or {}
    # Forget the sign-ins whose state mozilla-django-oidc has dropped.
    flows = {key: value for key, value in flows.items() if key in started}
    flows[state] = {"trust": trust_id, "next": next_url}
    request.session[FLOWS] = dict(list(flows.items())[-MAX_FLOWS:])


def take_flow(request, state: str) -> tuple[dict | None, dict | None]:
    """The sign-in with `state` as (our flow, mozilla-django-oidc's state entry with the nonce,
    PKCE verifier and start time), removed from the session so that it works once. Either is
    None if the session does not have it."""
    flows = dict(request.session.get(FLOWS) or {})
    started = dict(request.session.get("oidc_states") or {})
    flow = flows.pop(state, None) if state else None
    entry = started.pop(state, None) if state else None
    request.session[FLOWS] = flows
    request.session["oidc_states"] = started
    return flow, entry
