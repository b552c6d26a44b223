"""Downloads of the stored PDF handbook of a published version.

These views only ever serve the file stored by the PDF task (induction/pdf/storing.py); they
never render, and load nothing of the renderer (only `download_filename` from the handbook).
Access is the reading view's, through the same `pack_view(Access.READ)`: public packs for
everyone, members-only packs for signed-in members of the trust (anonymous readers are sent
to sign in, others get a 404).

While the PDF is being prepared, or could not be made, the URL answers 503 Service Unavailable
with a page that says so (and `Retry-After` while it is being prepared), rather than an error
page or a broken download.

Every check (access, readiness, `If-None-Match`) is made here, before the file is delivered;
only then may the bytes be handed to the front server (sendfile.py, `settings.PDF_SENDFILE`),
with this view's headers, or the reader be redirected to a short-lived signed link of object
storage, which no cache keeps.
"""

import logging

from django.http import Http404, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from page_cache.policy import PUBLIC_REVALIDATED

from ..models import PackVersion
from ..pdf.handbook import download_filename
from .access import Access, cache_control, pack_view
from .navigation import pack_crumbs
from .sendfile import download_response

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


@require_safe
@pack_view(Access.READ)
def version_pdf(request, pack, number):
    """The PDF of version `number` of the trust's pack."""
    version = _versions(request, pack).filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return _serve(request, pack, version)


@require_safe
@pack_view(Access.READ)
def latest_pdf(request, pack):
    """The PDF of the newest published version: a stable link for the current handbook."""
    version = _versions(request, pack).order_by("-number").first()
    if version is None:
        raise Http404("This pack has not been published yet.")
    return _serve(request, pack, version)


def _versions(request, pack):
    # The frozen content is not needed to serve a stored file.
    return (
        PackVersion.objects.for_user(request.user)
        .filter(pack=pack)
        .defer("content", "rendered_html")
    )


def _serve(request, pack, version):
    version.pack = pack  # already loaded, with its trust
    if version.pdf_status != PackVersion.PdfStatus.READY or not version.pdf_sha256:
        return _not_ready(request, pack, version)
    etag = f'"{version.pdf_sha256}"'
    if (
        etag in parse_etags(request.headers.get("If-None-Match", ""))
        or request.headers.get("If-None-Match", "").strip() == "*"
    ):
        response = HttpResponseNotModified()
    else:
        try:
            response = download_response(
                version.pdf, filename=download_filename(version), content_type="application/pdf"
            )
        except (FileNotFoundError, ValueError):
            logger.error("The stored PDF of %s is missing (%s).", version, version.pdf.name)
            return _not_ready(request, pack, version, missing=True)
        if isinstance(response, HttpResponseRedirect):
            # A signed link of object storage: its own Cache-Control (no-store) stands, and the
            # ETag belongs to the file the link returns, not to the redirect.
            return response
    response["ETag"] = etag
    # A members-only pack's PDF is cached as its pages are; a public pack's by shared caches too.
    # A version's PDF never changes, but who may read it can: a shared cache may keep a public
    # pack's PDF but must ask again each time (a cheap 304 with the ETag), so that a switch to
    # members-only takes effect at once.
    response["Cache-Control"] = cache_control(pack, Access.READ) or PUBLIC_REVALIDATED
    return response


def _not_ready(request, pack, version, *, missing=False):
    failed = missing or version.pdf_status == PackVersion.PdfStatus.FAILED
    response = render(
        request,
        "induction/pdf/not_ready.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "version": version,
            "failed": failed,
            "show_error": failed and pack.can_edit(request.user),
            "error": version.pdf_error or ("The stored file is missing." if missing else ""),
            "crumbs": pack_crumbs(pack),
        },
        status=503,
    )
    if not failed:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
