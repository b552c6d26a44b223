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

import hashlib
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


# What the frame's parts are given for their forms' secret (`csrf_token`), which is different
# in every answer: the real one is put in after the page's `ETag` is worked out, so that the
# same page for the same session has the same `ETag` and a browser's copy can be confirmed.
FORM_SECRET_STAND_IN = "page-cache-form-secret"


def frame_context(request) -> dict:
    """What the frame's templates read. Rendered without the site's context processors, which
    build the menu and the rest of the page's context: the frame needs none of that."""
    return {
        "request": request,
        "user": request.user,
        "messages": get_messages(request),
        "csrf_token": FORM_SECRET_STAND_IN,
    }


def framed(request, page: bytes, parts: dict | None = None) -> list[bytes]:
    """`page` cut at its marked parts, with each part rendered again for `request`'s reader:
    the account links and messages, and any of `parts` (marker name: a function giving the
    part's HTML) that the page has; a part the page does not mark is left out. The pieces in
    order, to be joined once: a long page (a whole pack) is never copied part by part."""
    context = frame_context(request)
    renderers = {
        name: (lambda template=template: get_template(template).render(context))
        for name, template in FRAME_TEMPLATES.items()
    }
    renderers.update(parts or {})
    cuts = []
    for name, render in renderers.items():
        opening, closing = f"<!--{name}-->".encode(), f"<!--/{name}-->".encode()
        start = page.find(opening)
        if start >= 0:
            start += len(opening)
            cuts.append((start, page.index(closing, start), render))
    pieces, done = [], 0
    for start, end, render in sorted(cuts, key=lambda cut: cut[0]):
        pieces += [page[done:start], render().encode()]
        done = end
    pieces.append(page[done:])
    return pieces


def framed_response(request, kept: HttpResponse, parts: dict | None = None) -> HttpResponse:
    """The kept page in the reader's frame, private to them. Its `ETag` comes from the kept
    page's, the reader's own parts and their session's form secret, without reading the whole
    page again; then each form gets this answer's copy of the secret."""
    pieces = framed(request, kept.content, parts)
    token = get_token(request)
    digest = hashlib.sha256(kept["ETag"].encode())
    digest.update(request.META.get("CSRF_COOKIE", "").encode())
    for index in range(1, len(pieces), 2):
        digest.update(b"\0" + pieces[index])
        pieces[index] = pieces[index].replace(FORM_SECRET_STAND_IN.encode(), token.encode())
    response = HttpResponse(b"".join(pieces), content_type=kept["Content-Type"])
    response["Cache-Control"] = PRIVATE_REVALIDATED
    response["ETag"] = f'"{digest.hexdigest()[:32]}"'
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
