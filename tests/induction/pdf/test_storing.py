"""`produce_version_pdf` stores the PDF of a version through Django's storage with its sha256,
once per version; failures are recorded on the version and audited."""

from induction.models import AuditEvent, PackVersion
from induction.pdf.storing import produce_version_pdf

from .support import make_version


def stored_files(media_root):
    return sorted(path.name for path in media_root.rglob("*.pdf"))


def test_storing_the_pdf_leaves_the_frozen_version_unchanged(published):
    frozen = PackVersion.objects.values(
        "content", "rendered_html", "published_at", "number", "change_summary"
    ).get(pk=published.pk)

    produce_version_pdf(published.pk)

    assert PackVersion.objects.values(*frozen).get(pk=published.pk) == frozen


def test_rendering_a_version_again_keeps_the_same_file(published, media_root):
    first = produce_version_pdf(published.pk).version
    second = produce_version_pdf(published.pk).version

    assert second.pdf_sha256 == first.pdf_sha256
    assert second.pdf.name == first.pdf.name
    assert len(stored_files(media_root)) == 1


def test_a_render_over_the_page_limit_fails_and_tells_the_editors(published, settings):
    settings.PDF_MAX_PAGES = 2

    outcome = produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "the limit is 2" in version.pdf_error
    assert not version.pdf
    event = AuditEvent.objects.get(action=AuditEvent.Action.PDF_FAILED)
    assert event.version_id == version.pk
    assert event.pack_id == version.pack_id
    assert "Version 1" in event.detail and "the limit is 2" in event.detail


def test_a_failed_rerender_keeps_the_good_pdf(published, settings):
    good = produce_version_pdf(published.pk).version
    settings.PDF_MAX_PAGES = 1

    outcome = produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.READY
    assert version.pdf_sha256 == good.pdf_sha256
    assert version.pdf.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PDF_FAILED).count() == 1


def test_version_says_whether_its_pdf_is_ready_or_failed(published, settings):
    assert not published.pdf_ready and not published.pdf_failed

    assert produce_version_pdf(published.pk).version.pdf_ready
    settings.PDF_MAX_PAGES = 1
    other = make_version(published.pack, number=2)
    failed = produce_version_pdf(other.pk).version
    assert failed.pdf_failed and not failed.pdf_ready
