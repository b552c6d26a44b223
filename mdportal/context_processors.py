"""Template context shared by every page."""

from django.urls import reverse

from roles.models import MEDICAL_DIRECTOR_SLUG

NAVIGATION = [
    ("The Medical Director role", "roles:role_detail", {"slug": MEDICAL_DIRECTOR_SLUG}),
    ("For non-executive directors", "roles:for_neds", {}),
    ("Sources", "roles:sources", {}),
    ("Glossary", "roles:glossary", {}),
    ("Trust induction packs", "induction:trust_list", {}),
]


def site_navigation(request):
    """The header menu, with the section the visitor is in marked as current."""
    items = []
    for label, name, kwargs in NAVIGATION:
        url = reverse(name, kwargs=kwargs)
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"site_navigation": items}
