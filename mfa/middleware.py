"""Until a session that must prove a second factor has done so, it reaches only the pages
marked `reachable_before_second_factor` (the MFA step itself, signing in and out); every other
page redirects to the MFA step, which comes back to it afterwards. Who must prove one is
decided in mfa/policy.py, on every request."""

from django.shortcuts import redirect

from .navigation import step_url
from .policy import needs_verifying


def reachable_before_second_factor(view):
    """Mark a view as one a signed-in session may reach before it has proved a second factor."""
    view.reachable_before_second_factor = True
    return view


class SecondFactorRequiredMiddleware:
    """Redirects a session that must still prove a second factor to the MFA step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After URL resolution, so that an unknown address is still a plain 404. Static files
        # never get here: WhiteNoise answers them first.
        if getattr(view_func, "reachable_before_second_factor", False):
            return None
        if needs_verifying(request):
            return redirect(step_url(request))
        return None
