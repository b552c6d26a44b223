"""How browsers, a reverse proxy or a CDN may keep each kind of page: one place for the
`Cache-Control` values, and the mark that lets the page cache keep a public page.

A view of a public page (the explainer, the sources and glossary, home, the trust list, a
public pack's reading pages) marks its answer with `public_page()`; the page cache middleware
(page_cache/middleware.py) then keeps the answer it gave an anonymous visitor. Members-only
pages are private and checked again each time; the editor's pages are never stored.
"""

from functools import wraps

# A page that can change when something is published or the reference data is loaded: a shared
# cache may serve it for a minute, and for another minute while it fetches the new one.
PUBLIC = "public, max-age=60, stale-while-revalidate=60"
# A page that never changes once made (a numbered version of a public pack). It is still not
# kept for long, so that a pack made members-only soon leaves shared caches.
PUBLIC_IMMUTABLE = "public, max-age=600, immutable"
# Public, but asked about again every time (a public PDF, which must not outlive a switch to
# members-only).
PUBLIC_REVALIDATED = "public, no-cache"
# A members-only page: only the reader's own browser keeps it, and asks again each time.
PRIVATE_REVALIDATED = "private, no-cache"
# The editor, publish, restore and audit pages, and anything carrying a form's secret.
NOT_STORED = "no-store"

# The attribute the middleware reads on a response.
MARK = "page_cache_public"


def mark_public(request, response, cache_control: str = PUBLIC):
    """Let shared caches and the page cache keep the page an anonymous visitor was given,
    unless the view said otherwise; a signed-in user's copy is private and checked each time.
    """
    if request.user.is_authenticated:
        response.headers.setdefault("Cache-Control", PRIVATE_REVALIDATED)
        return response
    response.headers.setdefault("Cache-Control", cache_control)
    if response["Cache-Control"].startswith("public") and response.status_code == 200:
        setattr(response, MARK, True)
    return response


def public_page(view):
    """Decorate a view whose page reads the same for every anonymous visitor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_public(request, view(request, *args, **kwargs))

    return wrapper
