"""Top-level URLs: the public explainer, trust packs, sign-in and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("roles/", include("roles.urls")),
    path("trusts/", include("induction.urls")),
    # Before auth.urls, so sign-in uses the NHS-styled form; the rest of auth.urls stays.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "mdportal.views.bad_request"
handler403 = "mdportal.views.permission_denied"
handler404 = "mdportal.views.page_not_found"
handler500 = "mdportal.views.server_error"
