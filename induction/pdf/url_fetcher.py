"""The only way WeasyPrint may load anything while it renders a pack's PDF.

Trust content is untrusted: a Markdown image or a stylesheet `url()` could point at another
host (server-side request forgery) or at a local file (disclosure). `LocalOnlyFetcher` answers
`data:` URLs, the site's own static and media files, and the pictures of the version being
rendered (copied from storage into a folder of the render's own by the parent process, see
rendering.py), read from disk by path; it refuses everything else — other hosts, `file:` URLs,
redirects, `..` escapes, any other picture — without any network or disk access beyond those
folders.

This module imports nothing from Django: the render runs in a child of the warm worker
(fork_server.py, worker.py) that gets the folders as plain data, see `FetcherConfig`.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A URL the PDF renderer is not allowed to load."""


@dataclass(frozen=True)
class FetcherConfig:
    """Where the site's own files live.

    `site_url` is the document's base URL ("https://portal.example/"): site paths such as
    `/static/css/pdf.css` resolve against it, and only URLs on that origin are served, from
    `static_roots` (searched in order, like the staticfiles finders) and `media_root`, and
    pictures under `pictures_url` (one trust's, "/trusts/<slug>/induction/pictures/") from
    `pictures_root`, where only the version's own pictures were put (no pictures when empty).
    """

    site_url: str
    static_url: str
    static_roots: tuple[str, ...]
    media_url: str
    media_root: str
    # Files larger than this are refused rather than read into memory.
    max_file_bytes: int = 20 * 1024 * 1024
    pictures_url: str = ""
    pictures_root: str = ""

    def to_dict(self) -> dict:
        return {
            "site_url": self.site_url,
            "static_url": self.static_url,
            "static_roots": list(self.static_roots),
            "media_url": self.media_url,
            "media_root": self.media_root,
            "max_file_bytes": self.max_file_bytes,
            "pictures_url": self.pictures_url,
            "pictures_root": self.pictures_root,
        }

    @classmethod
    def from_dict(cls, data: dict) -> FetcherConfig:
        return cls(
            site_url=data["site_url"],
            static_url=data["static_url"],
            static_roots=tuple(data["static_roots"]),
            media_url=data["media_url"],
            media_root=data["media_root"],
            max_file_bytes=data["max_file_bytes"],
            pictures_url=data["pictures_url"],
            pictures_root=data["pictures_root"],
        )


# A picture's file name, as induction/urls.py and safe_markdown.PICTURE_URL shape its address.
_PICTURE_FILENAME = re.compile(r"[0-9a-f]{32}\.(?:png|jpg|svg)")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def resolve_inside(root: str | Path, relative: str) -> Path | None:
    """The file `relative` under `root`, or None if it is missing or escapes `root`.

    Resolving follows symlinks and `..`, so the containment check sees the real location.
    """
    base = Path(root).resolve()
    if "\x00" in relative:
        return None
    candidate = (base / relative.lstrip("/")).resolve()
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


class LocalOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher for `data:` URLs and the site's own static and media files."""

    def __init__(self, config: FetcherConfig):
        # No handlers are used (fetch is overridden), but the base class keeps its options;
        # redirects off and errors non-fatal, so a refused image is left out, not a failure.
        super().__init__(allow_redirects=False, fail_on_errors=False)
        self.config = config
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url)
        except RefusedURL:
            self.refused.append(url)
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = DataHandler().data_open(Request(url))
            return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
        if _origin(url) != _origin(self.config.site_url):
            raise RefusedURL(f"Not one of the site's own files: {url}")
        path = unquote(urlsplit(url).path)
        pictures_url = self.config.pictures_url
        if pictures_url and self.config.pictures_root and path.startswith(pictures_url):
            name = path[len(pictures_url) :]
            found = (
                resolve_inside(self.config.pictures_root, name)
                if _PICTURE_FILENAME.fullmatch(name)
                else None
            )
            if found is None:
                raise RefusedURL(f"Not one of this version's pictures: {url}")
            return self._file_response(url, found)
        for prefix, roots in (
            (self.config.static_url, self.config.static_roots),
            (self.config.media_url, (self.config.media_root,)),
        ):
            if path.startswith(prefix):
                relative = path[len(prefix) :]
                for root in roots:
                    found = resolve_inside(root, relative)
                    if found is not None:
                        return self._file_response(url, found)
                raise RefusedURL(f"No such static or media file: {url}")
        raise RefusedURL(f"Not a static or media file: {url}")

    def _file_response(self, url: str, path: Path) -> URLFetcherResponse:
        if path.stat().st_size > self.config.max_file_bytes:
            raise RefusedURL(f"File too large to embed: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {"Content-Type": content_type}
        if content_type.startswith("text/"):
            headers["Content-Type"] = f"{content_type}; charset=utf-8"
        return URLFetcherResponse(url, path.read_bytes(), headers)
