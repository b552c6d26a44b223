"""Render a handbook to PDF bytes in the warm worker, under the configured limits.

The render itself runs in a child forked for it by the warm worker (warm_worker.py,
fork_server.py; worker.py says what the child does). This module checks the HTML's size first,
takes one of the machine's render slots (slots.py), hands the worker the job as plain data (the
HTML, the fetcher's folders from `fetcher_config`, the limits, a stable PDF identifier) and
turns what comes back into a `RenderedPdf` or a `PdfRenderError` worded for the trust's
editors. Nothing here is stored; see storing.py.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from ..models import PackVersion
from . import warm_worker
from .handbook import handbook_html
from .slots import NoRenderSlot, render_slot

logger = logging.getLogger(__name__)


class PdfRenderError(Exception):
    """A render that did not produce a PDF. The message is for the trust's editors."""


@dataclass(frozen=True)
class RenderedPdf:
    """What the worker made: the PDF, its page count and the URLs it refused to load."""

    content: bytes
    pages: int
    refused_urls: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def fetcher_config(*, pictures_url: str = "", pictures_root: str = ""):
    """The folders the PDF renderer may read: every staticfiles location, STATIC_ROOT, media,
    and the folder of the version's pictures (`pictures_root`, served under `pictures_url`).

    Returns a `url_fetcher.FetcherConfig`. Imported here, not at the top: it loads WeasyPrint,
    which web processes (that only serve stored files) never need.
    """
    from .url_fetcher import FetcherConfig

    static_roots = []
    for finder in finders.get_finders():
        # FileSystemFinder and AppDirectoriesFinder keep one storage per folder. Folders
        # registered with a prefix ("prefix", path) are not searched: the project uses none.
        for prefix, root in getattr(finder, "locations", []):
            if not prefix:
                static_roots.append(str(root))
        for storage in getattr(finder, "storages", {}).values():
            location = str(storage.location)
            if location not in static_roots and not getattr(storage, "prefix", None):
                static_roots.append(location)
    static_roots.append(str(settings.STATIC_ROOT))
    return FetcherConfig(
        site_url=settings.PDF_SITE_URL,
        static_url=settings.STATIC_URL,
        static_roots=tuple(static_roots),
        media_url=settings.MEDIA_URL,
        media_root=str(settings.MEDIA_ROOT),
        max_file_bytes=settings.PDF_MAX_EMBEDDED_FILE_BYTES,
        pictures_url=pictures_url,
        pictures_root=pictures_root,
    )


def render_html_to_pdf(
    html: str, *, identifier: str, pictures_url: str = "", pictures_root: str = ""
) -> RenderedPdf:
    """Render `html` in the warm worker under the configured limits; raise PdfRenderError.

    `identifier` becomes the PDF's /ID, so that it is stable across renders. Pictures under
    `pictures_url` are read from the folder `pictures_root` (see `render_version`).
    """
    size = len(html.encode("utf-8"))
    if size > settings.PDF_MAX_HTML_BYTES:
        raise PdfRenderError(
            f"The pack is too large to make into a PDF ({size // 1024} KB of text and markup; "
            f"the limit is {settings.PDF_MAX_HTML_BYTES // 1024} KB)."
        )
    timeout = settings.PDF_RENDER_TIMEOUT_SECONDS
    job = {
        "html": html,
        "fetcher": fetcher_config(pictures_url=pictures_url, pictures_root=pictures_root).to_dict(),
        "max_pages": settings.PDF_MAX_PAGES,
        "max_memory_bytes": settings.PDF_MAX_MEMORY_BYTES,
        "timeout_seconds": timeout,
        "pdf_identifier": hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:32],
    }
    try:
        with render_slot(
            folder=settings.PDF_RENDER_SLOTS_DIR,
            slots=settings.PDF_MAX_CONCURRENT_RENDERS,
            wait_seconds=timeout,
        ):
            result = warm_worker.run_job(job, timeout=timeout)
    except NoRenderSlot as error:
        raise PdfRenderError(
            "Too many PDFs were being made at the same time, so this one was not started. "
            "It will be made when someone runs it again (manage.py render_pack_pdfs "
            "--missing-only, or “Make the PDF again” in the admin)."
        ) from error
    except warm_worker.JobTimedOut as error:
        raise PdfRenderError(
            f"Making the PDF took longer than the {timeout} second limit, so it was stopped."
        ) from error
    except warm_worker.WorkerUnavailable as error:
        logger.error("The PDF worker could not be started: %s", error)
        raise PdfRenderError(
            "The PDF renderer could not be started. The details are in the server log."
        ) from error
    report = result.report
    if "error" in report:
        raise PdfRenderError(report["error"])
    if "pages" in report and result.pdf.startswith(b"%PDF-"):
        return RenderedPdf(
            content=result.pdf, pages=report["pages"], refused_urls=tuple(report["refused"])
        )
    logger.error(
        "The PDF worker's child %s stopped without a PDF: %s",
        result.pid,
        report.get("crash", "no report (killed, or out of memory)")[-4000:],
    )
    raise PdfRenderError(
        "The PDF renderer stopped unexpectedly, possibly because the pack needed more memory "
        "than a render is allowed. The details are in the server log."
    )


def pictures_url(trust) -> str:
    """The address every picture of `trust` starts with ("/trusts/<slug>/induction/pictures/")."""
    example = reverse(
        "induction:picture", kwargs={"slug": trust.slug, "key": "0" * 32, "extension": "png"}
    )
    return example.rsplit("/", 1)[0] + "/"


def copy_pictures(version: PackVersion, folder: str | Path) -> None:
    """Copy the pictures `version` shows from storage (the filesystem, or object storage in
    production) into `folder`, named as their addresses end: the render's child process reads
    files only, and only these. A version not saved (a benchmark's, a test's) shows none:
    publishing is what records the pictures a version shows."""
    if version.pk is None:
        return
    for picture in version.pictures.all():
        with picture.file.open("rb") as stored:
            (Path(folder) / picture.filename).write_bytes(stored.read())


def render_version(version: PackVersion) -> RenderedPdf:
    """Render the handbook of `version` (not stored), with the pictures it shows."""
    with tempfile.TemporaryDirectory(prefix="mdportal-pictures-") as folder:
        copy_pictures(version, folder)
        return render_html_to_pdf(
            handbook_html(version),
            identifier=f"{version.pack.trust.slug}/{version.pack_id}/v{version.number}",
            pictures_url=pictures_url(version.pack.trust),
            pictures_root=folder,
        )
