"""Serve anonymous visitors' public pages from the cache, before any session, CSRF or template
work.

A request is looked up only if it is a GET carrying neither a session nor a message cookie: the
same request from anyone gets the same page. Its key joins the page's address (scheme, host,
path and query) with the content generation (page_cache/generation.py) and the version of the
code and templates (page_cache/store.py), so a publication, a change of visibility, a reference
data load or a deployment each make older pages unreachable.

Only an answer a view marked public (page_cache/policy.py) is kept, and only if nothing in it
belongs to one visitor: no cookie set, no form secret asked for. Each kept page carries an
`ETag`; `ConditionalGetMiddleware`, which runs before this one, answers a matching
`If-None-Match` with an empty 304. A visitor whose browser accepts gzip gets the copy
compressed once when the page was kept.
"""

import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from . import store
from .policy import MARK

# As Django's GZipMiddleware reads the header.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.PAGE_CACHE_ENABLED and _same_for_everyone(request)):
            return self.get_response(request)
        key = store.key_for(request)
        kept = store.get(
            key, gzip_ok=bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
        )
        if kept is not None:
            return kept
        response = self.get_response(request)
        if _keepable(request, response):
            store.put(key, response)
        return response


def _same_for_everyone(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        # Static files are WhiteNoise's, next in line.
        and not request.path_info.startswith(settings.STATIC_URL)
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _keepable(request, response) -> bool:
    return (
        getattr(response, MARK, False)
        and response.status_code == 200
        and not response.streaming
        # Pages only: never a file, nor a hand-over to the front server.
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("X-Accel-Redirect")
        and not response.has_header("X-Sendfile")
        and not response.cookies
        # A page that asked for the CSRF token holds this visitor's form secret.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
