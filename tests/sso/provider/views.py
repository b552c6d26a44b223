"""The test provider's own pages: its sign-in page, which offers the registered identities,
and django-oauth-toolkit's authorisation endpoint, told who is signed in at the provider by
the provider's own cookie rather than by the portal's session (they share a server here)."""

from csp.decorators import csp_exempt
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import AuthorizationView

from .identities import IDENTITIES, provider_user

COOKIE = "test_idp_identity"
SALT = "test-oidc-provider"


def signed_in_identity(request) -> str | None:
    name = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    return name if name in IDENTITIES else None


@csrf_exempt
@csp_exempt()
def sign_in(request):
    """The provider's sign-in page: a button per registered identity. Signing in sets the
    provider's cookie and goes back to the authorisation request."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST" and request.POST.get("identity") in IDENTITIES:
        response = redirect(next_url)
        response.set_signed_cookie(
            COOKIE, request.POST["identity"], salt=SALT, path="/test-oidc/", samesite="Lax"
        )
        return response
    buttons = "".join(
        f'<button type="submit" name="identity" value="{escape(name)}">Sign in as '
        f"{escape(name)}</button>"
        for name in IDENTITIES
    )
    return HttpResponse(
        '<!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head>'
        f'<body><main><h1>Test identity provider</h1><form method="post">{buttons}</form>'
        "</main></body></html>"
    )


class Authorize(AuthorizationView):
    """django-oauth-toolkit's authorisation endpoint, for whoever signed in at the provider."""

    def dispatch(self, request, *args, **kwargs):
        name = signed_in_identity(request)
        request.user = provider_user(name) if name else AnonymousUser()
        return super().dispatch(request, *args, **kwargs)

    def get_login_url(self):
        return reverse("test_oidc_sign_in")
