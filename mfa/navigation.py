"""Where the MFA pages send people: the sign-in step with the page they asked for kept in
`next`, and from it to that page (when it is safe) or to their landing page."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from induction.views.navigation import landing_url


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def step_url(request) -> str:
    """The sign-in step, coming back afterwards to this page (after a POST, to the page the
    form is on rather than its action, as the session limits do)."""
    safe = request.method in ("GET", "HEAD")
    return with_next(reverse("mfa:verify"), request.get_full_path() if safe else request.path)


def safe_next(request, next_url: str | None = None) -> str:
    """The `next` address asked for, if it is on this site; otherwise ""."""
    if next_url is None:
        next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def after_verifying_url(request, next_url: str | None = None) -> str:
    """Where a person goes once the session is verified: a safe `next`, or where signing in
    would have taken them."""
    return (
        safe_next(request, next_url)
        or landing_url(request.user)
        or resolve_url(settings.LOGIN_REDIRECT_URL)
    )
