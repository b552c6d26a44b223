"""Where kept public pages live: their keys, and what is stored of each.

A key joins the page's address, the content generation and the code version. The code version
is a digest of the project's Python modules and templates, read once per process, so a
deployment that changes how any page looks never serves a page the old code made.
"""

import gzip
import hashlib
import os
import threading
from collections import OrderedDict
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from . import generation

PREFIX = "page-cache:page:"
# What of a response is kept besides its body: its own headers, and those the middlewares inside
# the page cache's add (the content security and permissions policies, framing), which a hit
# does not run again. SecurityMiddleware, outside it, adds its headers to every answer.
KEPT_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "Vary",
    "Content-Language",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Permissions-Policy",
)
# The folders whose files make the code version: everything but tests, data and the virtualenv.
_SKIPPED = {".venv", "tests", "node_modules", "media", "staticfiles", "benchmarks", "mutation"}


@once
def code_version() -> str:
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name for name in subfolders if name not in _SKIPPED and not name.startswith(".")
        )
        for name in sorted(files):
            path = Path(folder, name)
            if path.suffix in {".py", ".html", ".md", ".txt"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def key_for(request, variant: str = "") -> str:
    """The key of the page at this request's address; `variant` names a copy kept for one kind
    of reader (a pack's signed-in members, say) beside the one anonymous visitors get."""
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    parts = f"{code_version()}|{generation.current()}|{address}|{variant}"
    return PREFIX + hashlib.sha256(parts.encode()).hexdigest()


# The pages this process served last, so that a popular page is not fetched from Redis on every
# request. A key names one page made from one generation by one release, so a copy is never
# stale: a change only makes its key unreachable.
_RECENT: OrderedDict = OrderedDict()
RECENT_PAGES = 64
_RECENT_LOCK = threading.Lock()


def get(key: str, *, gzip_ok: bool = False) -> HttpResponse | None:
    """The kept page at `key`, or None. With `gzip_ok` (the visitor accepts it), the copy
    compressed when it was kept: a kept page holds no one's form secret, so compressing it
    gives nothing away (BREACH needs a secret and the visitor's own words in one answer)."""
    kept = _RECENT.get(key)
    if kept is None:
        kept = cache.get(key)
        if kept is None:
            return None
        _remember(key, kept)
    headers, content, compressed = kept
    response = HttpResponse(compressed if gzip_ok else content)
    for name, value in headers:
        response[name] = value
    if gzip_ok:
        response["Content-Encoding"] = "gzip"
        # Another representation of the same page (as Django's GZipMiddleware marks it).
        response["ETag"] = f"W/{response['ETag']}"
    response["Content-Length"] = str(len(response.content))
    response["X-Page-Cache"] = "hit"
    return response


def put(key: str, response: HttpResponse) -> None:
    """Keep a public page, with its `ETag`: answered to anyone, plain or compressed."""
    patch_vary_headers(response, ("Accept-Encoding",))
    keep(key, response)
    response["X-Page-Cache"] = "miss"


def keep(key: str, response: HttpResponse) -> None:
    """Keep a page, with an `ETag` from its content, if it is a whole page (a 200 with HTML);
    a signed-in reader's framed page is kept this way and shown only through
    page_cache/frames.py."""
    if not (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
    ):
        return
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    headers = [
        (name, response[name]) for name in (*KEPT_HEADERS, "ETag") if response.has_header(name)
    ]
    kept = (headers, response.content, gzip.compress(response.content, mtime=0))
    cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
    _remember(key, kept)


def _remember(key: str, kept: tuple) -> None:
    with _RECENT_LOCK:
        _RECENT[key] = kept
        _RECENT.move_to_end(key)
        while len(_RECENT) > RECENT_PAGES:
            _RECENT.popitem(last=False)
