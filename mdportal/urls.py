"""Top-level URLs: the public explainer, trust packs, search, sign-in with each trust's single
sign-on and the second factor, your account, invitations and the admin."""

from django.contrib import admin
from django.urls import include, path

from mfa.middleware import reachable_before_second_factor

from . import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("roles/", include("roles.urls")),
    path("trusts/", include("induction.urls")),
    path("account/", accounts.account, name="account"),
    path("account/notifications/", include("notifications.urls")),
    path("search/", include("search.urls")),
    path("trusts/", include("journey.urls")),
    path("invitations/", include("journey.invitation_urls")),
    # Before auth.urls, so signing in and out and asking for a reset use the portal's views; the
    # rest of auth.urls stays.
    # Signing in and out stay reachable while a session has still to prove a second factor.
    path(
        "accounts/login/",
        reachable_before_second_factor(accounts.SignInView.as_view()),
        name="login",
    ),
    path(
        "accounts/logout/",
        reachable_before_second_factor(accounts.SignOutView.as_view()),
        name="logout",
    ),
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/sso/", include("sso.urls")),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The MFA step (accounts/two-step/) and the person's second factors (account/two-step/).
    path("", include("mfa.urls")),
    path("accounts/two-step/passkey/", include("mfa.passkey_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "mdportal.views.bad_request"
handler403 = "mdportal.views.permission_denied"
handler404 = "mdportal.views.page_not_found"
handler500 = "mdportal.views.server_error"
