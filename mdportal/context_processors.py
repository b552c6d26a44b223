"""Template context shared by every page."""

from django.urls import reverse

from roles.models import MEDICAL_DIRECTOR_SLUG

# The guide to the Medical Director role: in the menu, and linked from pages as
# `medical_director_url`, so that its slug is written once (roles/models.py).
MEDICAL_DIRECTOR_GUIDE = ("roles:role_detail", {"slug": MEDICAL_DIRECTOR_SLUG})

NAVIGATION = [
    ("The Medical Director role", *MEDICAL_DIRECTOR_GUIDE),
    ("For non-executive directors", "roles:for_neds", {}),
    ("Sources", "roles:sources", {}),
    ("Glossary", "roles:glossary", {}),
    ("Trust induction packs", "induction:trust_list", {}),
]


def site_navigation(request):
    """The header menu, with the section the visitor is in marked as current, and the address
    of the Medical Director guide that pages link to (its slug is written once, in roles)."""
    items = []
    for label, name, kwargs in NAVIGATION:
        url = reverse(name, kwargs=kwargs)
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    name, kwargs = MEDICAL_DIRECTOR_GUIDE
    return {"site_navigation": items, "medical_director_url": reverse(name, kwargs=kwargs)}
