"""System checks for what `check --deploy` cannot know about this project by itself."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def site_url_is_public_https(app_configs, **kwargs):
    """PDFs carry absolute links to DJANGO_SITE_URL: in production it must be the real address."""
    url = settings.PDF_SITE_URL
    if url.startswith("https://") and "127.0.0.1" not in url and "localhost" not in url:
        return []
    return [
        Warning(
            f"DJANGO_SITE_URL is {url!r}; the links in published PDFs would point there.",
            hint="Set DJANGO_SITE_URL to the portal's public https address, "
            "for example https://induction.example.nhs.uk/.",
            id="mdportal.W001",
        )
    ]
