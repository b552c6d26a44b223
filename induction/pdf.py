"""PDF handbooks of published versions: build the handbook HTML, render it safely, store it.

The PDF is made from the version's frozen `rendered_html` (the same `pack_body.html` partial the
reading view shows) inside `templates/induction/pdf/handbook.html` with `static/css/pdf.css`,
so the HTML and the PDF cannot drift. It is rendered once per version, after publishing commits
(induction.tasks), in a child process with a time, page and memory limit (induction.pdf_worker),
and WeasyPrint loads nothing but `data:` URLs and the site's own static and media files
(induction.url_fetcher). Rendering is deterministic: the same version gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from .models import AuditEvent, PackVersion

logger = logging.getLogger(__name__)


class PdfRenderError(Exception):
    """A render that did not produce a PDF. The message is for the trust's editors."""


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    refused_urls: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def fetcher_config():
    """The folders the PDF renderer may read: every staticfiles location, STATIC_ROOT, media.

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
    )


def download_filename(version: PackVersion) -> str:
    """For example "northshire-medical-director-induction-v2.pdf"."""
    pack = version.pack
    return f"{pack.trust.slug}-{slugify(pack.title)}-v{version.number}.pdf"


def _w3c_datetime(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sources_by_section(content: dict) -> list[dict]:
    """The citations the frozen content carries, per section, numbered for the endnotes.

    Each national item in the snapshot may carry `citations` (a list of strings); items sit in
    a section's lists (responsibilities, posts, checklist…). Returns
    `[{"title", "anchor", "citations": [str, …]}]` for sections that cite anything, each
    citation once per section, in the order met.
    """
    result = []
    for section in content.get("sections", []):
        seen: list[str] = []
        for citation in _citations_in(section):
            if citation not in seen:
                seen.append(citation)
        if seen:
            result.append(
                {"title": section.get("title", ""), "anchor": section.get("anchor", ""),
                 "citations": seen}
            )
    return result


def _citations_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "citations" and isinstance(item, list):
                yield from (str(citation) for citation in item if citation)
            else:
                yield from _citations_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _citations_in(item)


def handbook_html(version: PackVersion) -> str:
    """The complete HTML document WeasyPrint lays out for `version`."""
    pack = version.pack
    trust = pack.trust
    sections = [
        {"anchor": section.get("anchor", ""), "title": section.get("title", "")}
        for section in version.content.get("sections", [])
    ]
    return render_to_string(
        "induction/pdf/handbook.html",
        {
            "version": version,
            "pack": pack,
            "trust": trust,
            "sections": sections,
            "sources": sources_by_section(version.content),
            # Sanitised once, at publication (induction/markdown.py), and frozen since.
            "body": mark_safe(version.rendered_html),  # noqa: S308
            "document_title": f"{pack.title} – {trust.name} – version {version.number}",
            "created": _w3c_datetime(version.published_at),
        },
    )


def render_html_to_pdf(html: str, *, identifier: str) -> RenderedPdf:
    """Render `html` in a child process under the configured limits; raise PdfRenderError.

    `identifier` becomes the PDF's /ID, so that it is stable across renders.
    """
    size = len(html.encode("utf-8"))
    if size > settings.PDF_MAX_HTML_BYTES:
        raise PdfRenderError(
            f"The pack is too large to make into a PDF ({size // 1024} KB of text and markup; "
            f"the limit is {settings.PDF_MAX_HTML_BYTES // 1024} KB)."
        )
    job = {
        "html": html,
        "fetcher": fetcher_config().to_dict(),
        "max_pages": settings.PDF_MAX_PAGES,
        "max_memory_bytes": settings.PDF_MAX_MEMORY_BYTES,
        "pdf_identifier": hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:32],
    }
    timeout = settings.PDF_RENDER_TIMEOUT_SECONDS
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "induction.pdf_worker"],
            input=json.dumps(job).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PdfRenderError(
            f"Making the PDF took longer than the {timeout} second limit, so it was stopped."
        ) from error
    report = _last_json_line(completed.stderr)
    if completed.returncode == 0 and completed.stdout.startswith(b"%PDF-"):
        return RenderedPdf(
            content=completed.stdout,
            pages=report.get("pages", 0),
            refused_urls=tuple(report.get("refused", [])),
        )
    if "error" in report:
        raise PdfRenderError(report["error"])
    logger.error(
        "PDF worker failed with status %s: %s",
        completed.returncode,
        completed.stderr.decode("utf-8", "replace")[-4000:],
    )
    raise PdfRenderError(
        "The PDF renderer stopped unexpectedly, possibly because the pack needed more memory "
        "than a render is allowed. The details are in the server log."
    )


def _last_json_line(stderr: bytes) -> dict:
    for line in reversed(stderr.decode("utf-8", "replace").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return {}
    return {}


def render_version(version: PackVersion) -> RenderedPdf:
    """Render the handbook of `version` (not stored)."""
    return render_html_to_pdf(
        handbook_html(version),
        identifier=f"{version.pack.trust.slug}/{version.pack_id}/v{version.number}",
    )


@dataclass(frozen=True)
class PdfOutcome:
    """What one `produce_version_pdf` did: `error` is empty on success."""

    version: PackVersion
    error: str = ""
    refused_urls: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.error


def produce_version_pdf(version_id: int) -> PdfOutcome:
    """Render and store the PDF of one version, recording the outcome on it.

    On success the file is saved through the default storage under a content-addressed name
    and `pdf`, `pdf_sha256`, `pdf_status=ready` are written with a targeted update (published
    versions are otherwise immutable). On failure `pdf_status=failed` and `pdf_error` say why,
    and an AuditEvent tells the trust's editors. A version whose PDF was already good keeps it
    when a later re-render fails. Idempotent: the same version stores the same bytes once.
    """
    version = PackVersion.objects.select_related("pack__trust").get(pk=version_id)
    try:
        rendered = render_version(version)
    except PdfRenderError as error:
        message = str(error)
    except Exception:
        # A bug rather than a limit: still recorded, so the version does not stay "pending".
        logger.exception("PDF of %s failed unexpectedly", version)
        message = (
            "The PDF could not be made because of an unexpected error. "
            "The details are in the server log."
        )
    else:
        _store(version, rendered)
        return PdfOutcome(version, refused_urls=rendered.refused_urls)
    _record_failure(version, message)
    return PdfOutcome(version, error=message)


def _store(version: PackVersion, rendered: RenderedPdf) -> None:
    sha256 = rendered.sha256
    storage = version.pdf.storage
    stem = download_filename(version).removesuffix(".pdf")
    name = f"packs/{version.pack.trust.slug}/{stem}-{sha256[:16]}.pdf"
    previous = version.pdf.name
    if not storage.exists(name):
        name = storage.save(name, ContentFile(rendered.content))
    PackVersion.objects.filter(pk=version.pk).update(
        pdf=name,
        pdf_sha256=sha256,
        pdf_status=PackVersion.PdfStatus.READY,
        pdf_error="",
    )
    version.pdf.name = name
    version.pdf_sha256 = sha256
    version.pdf_status = PackVersion.PdfStatus.READY
    version.pdf_error = ""
    if previous and previous != name:
        storage.delete(previous)


def _record_failure(version: PackVersion, message: str) -> None:
    logger.warning("PDF of %s failed: %s", version, message)
    keeps_good_pdf = version.pdf_status == PackVersion.PdfStatus.READY and bool(version.pdf)
    if not keeps_good_pdf:
        PackVersion.objects.filter(pk=version.pk).update(
            pdf_status=PackVersion.PdfStatus.FAILED, pdf_error=message
        )
        version.pdf_status = PackVersion.PdfStatus.FAILED
        version.pdf_error = message
    AuditEvent.objects.create(
        trust=version.pack.trust,
        pack=version.pack,
        action=AuditEvent.Action.PDF_FAILED,
        detail=f"Version {version.number}: {message}"[:500],
        version=version,
    )
