"""Signing in and out, and asking for a password reset: Django's views, with NHS-styled pages,
a landing page per member (the same after a single sign-on), and limits on reset requests.

Django-axes throttles failed sign-ins through its backend and middleware (see settings and
mdportal/sign_in_throttle.py), so these views only decide what the person sees and where they
go.
"""

import logging

from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView
from django.contrib.auth.views import PasswordResetView as DjangoPasswordResetView
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property

from induction import kept_edits
from induction.views.navigation import landing_after_sign_in
from sso.choosing import allow_provider_redirects, enabled_sign_ons

from .client_address import client_address
from .forms import PasswordResetForm, SignInForm
from .rate_limits import within_limit

logger = logging.getLogger(__name__)

HOUR = 3600


class SignInView(LoginView):
    """Sign in with the NHS-styled form, or choose your trust to sign in with its single
    sign-on (sso/). A safe `next` wins, as in Django (an unsafe one is ignored); otherwise a
    member of one trust lands on its pack, and everyone else on LOGIN_REDIRECT_URL
    (`landing_after_sign_in`)."""

    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page they come back to has changes kept for them (induction/kept_edits.py).
        context["kept_changes"] = kept_edits.waiting(self.request, context.get("next") or "")
        context["sign_ons"] = self.sign_ons
        return context

    @cached_property
    def sign_ons(self):
        return list(enabled_sign_ons())

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return allow_provider_redirects(response, self.sign_ons)

    def get_default_redirect_url(self):
        # Called after login(), so request.user is the person who has just signed in.
        return landing_after_sign_in(self.request.user)


class SignOutView(LogoutView):
    """Signing out stays a POST, with its CSRF check, as in Django. A GET (a bookmarked or typed
    address) answers with a page rather than Django's blank 405: a Sign out button for someone
    signed in, or a page saying they are signed out. A GET never signs anyone out."""

    # TemplateView's get() renders the page and does nothing else.
    http_method_names = ["get", "head", "post", "options"]
    template_name = "registration/sign_out.html"


class PasswordResetView(DjangoPasswordResetView):
    """Ask for a password reset link by e-mail, at most PASSWORD_RESETS_PER_ADDRESS_PER_HOUR
    times from one address and PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR times for one e-mail
    address. Over a limit the person sees the same page as ever, which never says whether an
    account exists, and no e-mail is sent.

    Anyone can use up an account's allowance, but only by sending its owner the reset links
    they need, so the per-account limit protects the inbox without locking its owner out.
    """

    form_class = PasswordResetForm

    def form_valid(self, form):
        if reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        logger.warning(
            "Password reset request over the limit from %s; no e-mail sent.",
            client_address(self.request),
        )
        return HttpResponseRedirect(self.get_success_url())


def reset_allowed(request, email: str) -> bool:
    """Count one reset request from the client's address and for the e-mail address, and say
    whether both are within their hourly limits (the account is not counted once the address
    is over its limit)."""
    return within_limit(
        "password-reset-address",
        client_address(request) or "unknown",
        limit=settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
        period_seconds=HOUR,
    ) and within_limit(
        "password-reset-account",
        email.strip().lower(),
        limit=settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR,
        period_seconds=HOUR,
    )
