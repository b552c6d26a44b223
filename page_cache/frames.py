"""A signed-in reader's copy of a page: a kept page with their own frame put in.

Pages that read the same for every reader except a few marked parts (base.html marks the
header's account links and the messages above the content with comments, and the reading pages
of a pack mark the reader's status panel) are kept once and, for each signed-in reader, only
those parts are rendered again and put in place: the expensive part (the explainer's data, a
version's pages and their templates) is never rebuilt. The answer is private to the reader.

The explainer's views, decorated with `public_page_framed`, use the page the cache keeps for
anonymous visitors. A pack's reading pages keep their own copy for signed-in readers
(induction/views/reading.py), since they show members what visitors never see.
"""

from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template

from . import store
from .policy import PRIVATE_REVALIDATED, public_page

# The parts of base.html every framed page renders for its reader, by marker name.
ACCOUNT = "account"
MESSAGES = "messages"
FRAME_TEMPLATES = {
    ACCOUNT: "includes/header_account.html",
    MESSAGES: "includes/messages.html",
}


def can_frame(request) -> bool:
    return settings.PAGE_CACHE_ENABLED and request.user.is_authenticated


def frame_context(request) -> dict:
    """What the frame's templates read. Rendered without the site's context processors, which
    build the menu and the rest of the page's context: the frame needs none of that."""
    return {
        "request": request,
        "user": request.user,
        "messages": get_messages(request),
        "csrf_token": get_token(request),
    }


def framed(request, page: str, parts: dict | None = None) -> str:
    """`page` with each marked part rendered again for `request`'s reader: the account links
    and messages, and any of `parts` (marker name: a function giving the part's HTML) that the
    page has. A part the page does not mark is left out."""
    context = frame_context(request)
    renderers = {
        name: (lambda template=template: get_template(template).render(context))
        for name, template in FRAME_TEMPLATES.items()
    }
    renderers.update(parts or {})
    for name, render in renderers.items():
        opening, closing = f"<!--{name}-->", f"<!--/{name}-->"
        start = page.find(opening)
        if start < 0:
            continue
        start += len(opening)
        end = page.index(closing, start)
        page = page[:start] + render() + page[end:]
    return page


def framed_response(request, kept: HttpResponse, parts: dict | None = None) -> HttpResponse:
    """The kept page in the reader's frame, private to them."""
    page = framed(request, kept.content.decode(kept.charset), parts)
    response = HttpResponse(page, content_type=kept["Content-Type"])
    response["Cache-Control"] = PRIVATE_REVALIDATED
    return response


def public_page_framed(view):
    """`public_page`, and for a signed-in reader the kept page in their own frame."""
    public_view = public_page(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if can_frame(request):
            kept = store.get(store.key_for(request))
            if kept is not None:
                return framed_response(request, kept)
        return public_view(request, *args, **kwargs)

    return wrapper
