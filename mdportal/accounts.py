"""Signing in and out, the password pages and Your account: Django's views, with NHS-styled
pages, a landing page per member (the same after a single sign-on), and limits on reset
requests.

Django-axes throttles failed sign-ins through its backend and middleware (see settings and
mdportal/sign_in_throttle.py), so these views only decide what the person sees and where they
go.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.contrib.auth.views import PasswordChangeView as DjangoPasswordChangeView
from django.contrib.auth.views import PasswordResetConfirmView as DjangoPasswordResetConfirmView
from django.contrib.auth.views import PasswordResetView as DjangoPasswordResetView
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from induction import kept_edits
from induction.views.navigation import landing_after_sign_in
from mfa.policy import signed_in_through_sso
from sso.choosing import allow_provider_redirects, enabled_sign_ons

from .client_address import client_address
from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm, SignInForm
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

    @property
    def extra_email_context(self):
        # Django reads this when it sends the e-mail, so the words follow the setting.
        return {"link_lifetime": lifetime_words(settings.PASSWORD_RESET_TIMEOUT)}

    def form_valid(self, form):
        if reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        logger.warning(
            "Password reset request over the limit from %s; no e-mail sent.",
            client_address(self.request),
        )
        return HttpResponseRedirect(self.get_success_url())


def lifetime_words(seconds: int) -> str:
    """How long a reset link works, in whole days or, under two days, hours."""
    hours = seconds // HOUR
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hour{'' if hours == 1 else 's'}"


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


class PasswordResetConfirmView(DjangoPasswordResetConfirmView):
    """Choose a new password from the e-mailed link (Django's view: the link works once and
    expires after PASSWORD_RESET_TIMEOUT). The person then signs in, with their second factor
    if they need one: a reset never skips it."""

    form_class = SetPasswordForm


class PasswordChangeView(DjangoPasswordChangeView):
    """Change one's password, giving the current one (Django's view: the session stays signed
    in, and verified if it was)."""

    form_class = PasswordChangeForm


def account_crumbs():
    return [{"label": "Home", "url": reverse("home")}]


@never_cache
@login_required
@require_safe
def account(request):
    """Your account: who is signed in, and the ways to their password, their second factors
    and their e-mail choices."""
    context = {
        "breadcrumbs": account_crumbs(),
        # Someone signed in through their trust's account changes its password there.
        "local_password": request.user.has_usable_password()
        and not signed_in_through_sso(request),
    }
    return render(request, "registration/account.html", context)
