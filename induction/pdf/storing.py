"""Make the PDF of one published version and keep the outcome on the version.

`produce_version_pdf` is the one operation behind the task (tasks.py) and
`manage.py render_pack_pdfs`: it renders (rendering.py), then stores the file through
Django's storage under a content-addressed name, or records why it could not be made.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile

from ..models import AuditEvent, PackVersion
from .handbook import download_filename
from .rendering import PdfRenderError, RenderedPdf, render_version

logger = logging.getLogger(__name__)


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
    except BaseException:
        # The process itself is being stopped (a worker's timeout raises SystemExit): record
        # why, so the version does not stay "being prepared" for ever, then let it stop.
        _record_failure(
            version,
            "Making the PDF was interrupted because the process making it was stopped. "
            "Make it again with “Make the PDF again” in the admin or manage.py "
            "render_pack_pdfs --missing-only.",
        )
        raise
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
    version.pack.record(
        None, AuditEvent.Action.PDF_FAILED, f"Version {version.number}: {message}", version=version
    )
