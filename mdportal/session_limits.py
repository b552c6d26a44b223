"""How long a sign-in lasts: an absolute age for everyone, an idle timeout for anyone who can
change something.

Django's SESSION_COOKIE_AGE alone cannot say either: a session saved again is renewed for the
whole age. So the session records when its user signed in and when they were last active, and
this middleware signs out a session past SESSION_MAX_AGE_HOURS since sign-in, or past
SESSION_IDLE_MINUTES without a request when the user is platform staff or an editor or
approver of any trust (readers keep their session for the absolute age, so a board member can
leave a pack open through a meeting). The person lands on the sign-in page with a message
saying why, and comes back to where they were once signed in again; what they had just posted
to an editing page is kept for them (induction/kept_edits.py).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

from induction import kept_edits
from induction.models import can_change_content

SIGNED_IN_AT = "mdportal_signed_in_at"
LAST_ACTIVE_AT = "mdportal_last_active_at"
# Activity is recorded at most once a minute, so that reading a page does not save the session
# every time; the idle timeout is therefore exact to within that minute.
ACTIVITY_RESOLUTION_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="mdportal.session_limits.start_session_clock")
def start_session_clock(sender, request, user, **kwargs):
    """A new sign-in starts both clocks."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_ACTIVE_AT] = now


def needs_idle_timeout(user) -> bool:
    """Whether the user can change anything: platform staff, or an editor or approver of a
    trust. Asked only once a session has been idle for the timeout, so it costs no query on an
    ordinary request."""
    return can_change_content(user)


def _number(value: float) -> str:
    return f"{value:g}"


class SessionLimitsMiddleware:
    """Signs out a session past its absolute age, or idle too long for someone who can edit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Only signed-in sessions: an anonymous visitor's costs nothing here.
        if SESSION_KEY in session:
            now = time.time()
            reason = self._reason_to_sign_out(request, now)
            if reason:
                logout(request)
                messages.info(request, reason)
                if kept_edits.posted_to_keeping_page(request):
                    # Save pressed on an editing page: the page itself, after the CSRF check,
                    # keeps what was typed and sends them to sign in (induction/kept_edits.py).
                    return self.get_response(request)
                # After a POST the form's page, not its action, is where to come back to.
                safe = request.method in ("GET", "HEAD")
                return redirect_to_login(request.get_full_path() if safe else request.path)
            session.setdefault(SIGNED_IN_AT, now)
            if now - session.get(LAST_ACTIVE_AT, 0) >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVE_AT] = now
        return self.get_response(request)

    @staticmethod
    def _reason_to_sign_out(request, now: float) -> str | None:
        session = request.session
        max_age_hours = settings.SESSION_MAX_AGE_HOURS
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is not None and now - signed_in_at > max_age_hours * 3600:
            return (
                f"You were signed out because you signed in more than {_number(max_age_hours)} "
                "hours ago. Sign in again to carry on. Nothing you had saved is lost."
            )
        idle_minutes = settings.SESSION_IDLE_MINUTES
        last_active_at = session.get(LAST_ACTIVE_AT)
        if (
            last_active_at is not None
            and now - last_active_at > idle_minutes * 60
            and needs_idle_timeout(request.user)
        ):
            return (
                f"You were signed out after {_number(idle_minutes)} minutes without activity. "
                "Nothing you had saved is lost."
            )
        return None
