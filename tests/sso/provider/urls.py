"""The test settings' URLs: the portal's, plus the test provider under /test-oidc/."""

from django.urls import include, path
from oauth2_provider import urls as provider_urls

from mdportal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from mdportal.urls import urlpatterns as portal_urlpatterns

from . import views

provider_patterns = [
    path("authorize/", views.Authorize.as_view(), name="authorize"),
    *[pattern for pattern in provider_urls.base_urlpatterns if pattern.name != "authorize"],
    *provider_urls.oidc_urlpatterns,
]

urlpatterns = [
    *portal_urlpatterns,
    path("test-oidc/sign-in/", views.sign_in, name="test_oidc_sign_in"),
    path("test-oidc/o/", include((provider_patterns, "oauth2_provider"))),
]
