"""A signed-in reader's copy of a public page: the kept anonymous page with their own frame.

The explainer's pages read the same for everyone except the header's account links and the
messages above the content, which base.html marks with comments. For a signed-in reader a view
decorated with `public_page_framed` takes the page the cache keeps for anonymous visitors,
renders only those two parts for the reader, and puts them in place: the expensive part (the
explainer's data and its templates) is never rebuilt. The answer is private to the reader.
Without a kept page the view runs as usual.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from . import store
from .policy import PRIVATE_REVALIDATED, public_page

# (marker pair, template rendering that part for the reader), in page order.
FRAME = (
    (("<!--account-->", "<!--/account-->"), "includes/header_account.html"),
    (("<!--messages-->", "<!--/messages-->"), "includes/messages.html"),
)


def framed(request, page: str) -> str:
    """`page` with each part of the frame rendered again for `request`'s visitor."""
    for (opening, closing), template in FRAME:
        start = page.index(opening) + len(opening)
        end = page.index(closing, start)
        page = page[:start] + render_to_string(template, request=request) + page[end:]
    return page


def public_page_framed(view):
    """`public_page`, and for a signed-in reader the kept page in their own frame."""
    public_view = public_page(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and settings.PAGE_CACHE_ENABLED:
            kept = store.get(store.key_for(request))
            if kept is not None:
                page = framed(request, kept.content.decode(kept.charset))
                response = HttpResponse(page, content_type=kept["Content-Type"])
                response["Cache-Control"] = PRIVATE_REVALIDATED
                return response
        return public_view(request, *args, **kwargs)

    return wrapper
