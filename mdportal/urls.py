"""Top-level URLs: the public explainer, trust packs, sign-in and the admin."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("roles/", include("roles.urls")),
    path("trusts/", include("induction.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "mdportal.views.page_not_found"
handler500 = "mdportal.views.server_error"
