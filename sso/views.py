"""The single sign-on pages: choosing your trust, sending you to its sign-in service, and
coming back from it signed in or with a page saying plainly why not.

The start view is mozilla-django-oidc's, given the trust's provider instead of one from
settings: it makes the state, nonce and PKCE verifier and keeps them in the session. The
callback is the portal's own, because every refusal has its own page here, where the
library's callback only redirects to one failure address.
"""

import logging
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from induction.views.navigation import landing_after_sign_in
from journey.models import ROLE_WORDS
from page_cache.policy import NOT_STORED

from . import provider
from .backends import TrustSignOnBackend
from .choosing import allow_provider_redirects, enabled_sign_ons
from .models import TrustSignOn
from .refusals import Refusal, SignInRefused
from .session import mark_signing_in_by_sso, remember_flow, take_flow

logger = logging.getLogger(__name__)

BACKEND = "sso.backends.TrustSignOnBackend"


def _not_stored(response):
    response["Cache-Control"] = NOT_STORED
    return response


def _start_url(sign_on: TrustSignOn) -> str:
    return reverse("sso:start", kwargs={"slug": sign_on.trust.slug})


def refused(request, refusal: SignInRefused, sign_on: TrustSignOn | None = None):
    """The plain page for a single sign-on that did not sign the person in."""
    trust_name = sign_on.trust.name if sign_on is not None else "your trust"
    logger.info("Single sign-on refused (%s) for %s.", refusal.refusal.name, trust_name)
    retry = refusal.refusal in (Refusal.SIGN_IN_EXPIRED, Refusal.PROVIDER_ERROR)
    context = {
        **refusal.words(trust_name),
        "retry_url": _start_url(sign_on) if retry and sign_on is not None else None,
    }
    response = render(request, "sso/refused.html", context, status=refusal.refusal.status)
    return _not_stored(response)


@require_safe
def choose(request):
    """Choose your trust, then go to its sign-in service; or, with `trust` given (the sign-in
    page's form), go straight there."""
    sign_ons = list(enabled_sign_ons())
    next_url = request.GET.get("next", "")
    chosen = request.GET.get("trust")
    if chosen and any(sign_on.trust.slug == chosen for sign_on in sign_ons):
        url = reverse("sso:start", kwargs={"slug": chosen})
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    return _chooser(request, sign_ons, next_url, not_found=bool(chosen))


def _chooser(request, sign_ons, next_url: str, *, not_found: bool):
    """The page listing the trusts that have single sign-on; a 404 for a trust without."""
    response = render(
        request,
        "sso/choose.html",
        {"sign_ons": sign_ons, "next": next_url, "not_found": not_found},
        status=404 if not_found else 200,
    )
    return _not_stored(allow_provider_redirects(response, sign_ons))


class SignOnStartView(OIDCAuthenticationRequestView):
    """Send the person to their trust's sign-in service (/accounts/sso/<trust's slug>/), with
    a fresh state, nonce and PKCE challenge; a safe `next` is where they land afterwards."""

    def __init__(self, **kwargs):
        # Not the library's __init__, which reads one provider from settings.
        View.__init__(self, **kwargs)

    def get(self, request, slug):
        sign_on = TrustSignOn.objects.select_related("trust").filter(trust__slug=slug).first()
        if sign_on is None or not sign_on.enabled:
            return _chooser(
                request, list(enabled_sign_ons()), request.GET.get("next", ""), not_found=True
            )
        if not sign_on.client_secret():
            logger.error(
                "Single sign-on of %s is on, but %s is not set: nobody can sign in with it.",
                sign_on.trust,
                sign_on.client_secret_variable,
            )
            return refused(request, SignInRefused(Refusal.NOT_AVAILABLE), sign_on)
        try:
            configuration = provider.configuration(sign_on.issuer)
        except provider.ProviderUnavailable as error:
            logger.warning("Single sign-on of %s: %s", sign_on.trust, error)
            return refused(request, SignInRefused(Refusal.PROVIDER_ERROR), sign_on)
        self.OIDC_OP_AUTH_ENDPOINT = configuration.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = sign_on.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        remember_flow(
            request,
            state,
            trust_id=sign_on.trust_id,
            next_url=request.session.pop("oidc_login_next", None),
        )
        return _not_stored(response)


class SignOnCallbackView(View):
    """Where every trust's sign-in service sends the person back (/accounts/sso/callback/,
    the redirect URI registered in each tenant). The state must be one this browser's session
    started, within SSO_SIGN_IN_MINUTES, and works once."""

    http_method_names = ["get", "head"]

    def get(self, request):
        flow, started = take_flow(request, request.GET.get("state", ""))
        # The state is used up before the slow exchange with the provider, whatever follows.
        request.session.save()
        sign_on = None
        if flow is not None:
            sign_on = (
                TrustSignOn.objects.select_related("trust").filter(trust_id=flow["trust"]).first()
            )
        if flow is None or started is None or sign_on is None or self._too_old(started):
            return refused(request, SignInRefused(Refusal.SIGN_IN_EXPIRED), sign_on)
        if not sign_on.enabled or not sign_on.client_secret():
            return refused(request, SignInRefused(Refusal.NOT_AVAILABLE), sign_on)
        if request.GET.get("error") or not request.GET.get("code"):
            logger.warning(
                "Single sign-on of %s: the provider answered with error %r.",
                sign_on.trust,
                request.GET.get("error", "")[:100],
            )
            return refused(request, SignInRefused(Refusal.PROVIDER_ERROR), sign_on)
        backend = TrustSignOnBackend()
        try:
            user = backend.authenticate(
                request,
                sign_on=sign_on,
                nonce=started.get("nonce"),
                code_verifier=started.get("code_verifier"),
            )
        except SignInRefused as refusal:
            return refused(request, refusal, sign_on)
        except (
            provider.ProviderUnavailable,
            SuspiciousOperation,
            requests.RequestException,
            jwt.PyJWTError,
        ) as error:
            logger.warning("Single sign-on of %s failed: %s", sign_on.trust, error)
            return refused(request, SignInRefused(Refusal.PROVIDER_ERROR), sign_on)
        if user is None:
            return refused(request, SignInRefused(Refusal.PROVIDER_ERROR), sign_on)
        mark_signing_in_by_sso(request)
        login(request, user, backend=BACKEND)
        _tell(request, sign_on, backend.outcome)
        return _not_stored(redirect(self._landing(request, flow.get("next"), user)))

    @staticmethod
    def _too_old(started: dict) -> bool:
        return time.time() - started.get("added_on", 0) > settings.SSO_SIGN_IN_MINUTES * 60

    @staticmethod
    def _landing(request, next_url, user) -> str:
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return next_url
        return landing_after_sign_in(user)


def _tell(request, sign_on: TrustSignOn, outcome) -> None:
    """Say what this sign-in changed of the person's roles in the trust."""
    trust = sign_on.trust.name
    if outcome.joined:
        messages.success(request, f"Welcome: you are now a member of {trust}.")
    for role in sorted(outcome.roles_granted):
        messages.info(
            request,
            f"You are now {ROLE_WORDS[role]} of {trust}, through your group in your trust's "
            "Microsoft Entra ID.",
        )
    for role in sorted(outcome.roles_removed):
        messages.warning(
            request,
            f"You are no longer {ROLE_WORDS[role]} of {trust}: your trust's Microsoft Entra ID "
            "no longer puts you in a group that gives that role. If this is a mistake, ask "
            "your trust's IT service desk.",
        )
