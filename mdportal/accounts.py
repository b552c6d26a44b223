"""Signing in and out: Django's views, with NHS-styled pages and a landing page per member.

Django-axes throttles failed sign-ins through its backend and middleware (see settings), so
these views only decide what the person sees and where they go.
"""

from django.contrib.auth.views import LoginView, LogoutView

from induction.views.navigation import landing_url

from .forms import SignInForm


class SignInView(LoginView):
    """Sign in with the NHS-styled form. A safe `next` wins, as in Django (an unsafe one is
    ignored); otherwise a member of one trust lands on its pack, and everyone else on
    LOGIN_REDIRECT_URL."""

    authentication_form = SignInForm

    def get_default_redirect_url(self):
        # Called after login(), so request.user is the person who has just signed in.
        return landing_url(self.request.user) or super().get_default_redirect_url()


class SignOutView(LogoutView):
    """Signing out stays a POST, with its CSRF check, as in Django. A GET (a bookmarked or typed
    address) answers with a page rather than Django's blank 405: a Sign out button for someone
    signed in, or a page saying they are signed out. A GET never signs anyone out."""

    # TemplateView's get() renders the page and does nothing else.
    http_method_names = ["get", "head", "post", "options"]
    template_name = "registration/sign_out.html"
