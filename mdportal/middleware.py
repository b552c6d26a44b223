"""Response headers Django's SecurityMiddleware does not send itself."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy, which the portal sets for every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
