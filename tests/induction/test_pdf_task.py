"""The PDF is made once per published version, after commit, by a django-tasks task, stored
through Django's storage with its sha256; failures are recorded and audited."""

import hashlib

import pytest
from django.core.management import call_command

from induction import pdf
from induction.models import AuditEvent, PackVersion
from induction.tasks import render_version_pdf

from .pdf_support import make_pack, make_version


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return sorted(path.name for path in media_root.rglob("*.pdf"))


def test_publishing_makes_the_pdf_only_after_the_transaction_commits(
    pack, editor_approver, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = pack.publish(user=editor_approver)
        # Inside the publishing transaction nothing has been rendered.
        assert version.pdf_status == PackVersion.PdfStatus.PENDING
        assert stored_files(media_root) == []

    for callback in callbacks:
        callback()

    version.refresh_from_db()
    assert version.pdf_status == PackVersion.PdfStatus.READY
    assert version.pdf_error == ""
    stored = version.pdf.read()
    assert stored.startswith(b"%PDF-")
    assert version.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    # Content-addressed under the trust: a re-render of the same bytes finds its own file.
    assert version.pdf.name == (
        f"packs/testshire/testshire-medical-director-induction-pack-v1-"
        f"{version.pdf_sha256[:16]}.pdf"
    )


def test_storing_the_pdf_leaves_the_frozen_version_unchanged(published):
    frozen = PackVersion.objects.values(
        "content", "rendered_html", "published_at", "number", "change_summary"
    ).get(pk=published.pk)

    pdf.produce_version_pdf(published.pk)

    assert PackVersion.objects.values(*frozen).get(pk=published.pk) == frozen


def test_rendering_a_version_again_keeps_the_same_file(published, media_root):
    first = pdf.produce_version_pdf(published.pk).version
    second = pdf.produce_version_pdf(published.pk).version

    assert second.pdf_sha256 == first.pdf_sha256
    assert second.pdf.name == first.pdf.name
    assert len(stored_files(media_root)) == 1


def test_the_task_returns_the_pdf_status(published):
    result = render_version_pdf.enqueue(version_id=published.pk)

    assert result.return_value == "ready"


def test_a_render_over_the_page_limit_fails_and_tells_the_editors(published, settings):
    settings.PDF_MAX_PAGES = 2

    outcome = pdf.produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "the limit is 2" in version.pdf_error
    assert not version.pdf
    event = AuditEvent.objects.get(action=AuditEvent.Action.PDF_FAILED)
    assert event.version_id == version.pk
    assert event.pack_id == version.pack_id
    assert "Version 1" in event.detail and "the limit is 2" in event.detail


def test_a_render_over_the_time_limit_is_stopped(published, settings):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.05

    pdf.produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "took longer than the 0.05 second limit" in version.pdf_error


def test_oversized_html_is_refused_before_rendering(published, settings):
    settings.PDF_MAX_HTML_BYTES = 10_000

    pdf.produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "too large to make into a PDF" in version.pdf_error


def test_a_render_over_the_memory_limit_fails_cleanly(published, settings):
    settings.PDF_MAX_MEMORY_BYTES = 64 * 1024 * 1024

    outcome = pdf.produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert version.pdf_error


def test_a_failed_rerender_keeps_the_good_pdf(published, settings):
    good = pdf.produce_version_pdf(published.pk).version
    settings.PDF_MAX_PAGES = 1

    outcome = pdf.produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.READY
    assert version.pdf_sha256 == good.pdf_sha256
    assert version.pdf.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PDF_FAILED).count() == 1


def test_publishing_queues_the_task_on_the_configured_backend(
    pack, editor_approver, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        version = pack.publish(user=editor_approver)

    backend = render_version_pdf.get_backend()
    assert [(r.task.name, r.kwargs) for r in backend.results] == [
        ("render_version_pdf", {"version_id": version.pk})
    ]
    version.refresh_from_db()
    assert version.pdf_status == PackVersion.PdfStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_worker_makes_the_pdf(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    version = make_version(make_pack())
    render_version_pdf.enqueue(version_id=version.pk)
    assert PackVersion.objects.get(pk=version.pk).pdf_status == PackVersion.PdfStatus.PENDING

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert PackVersion.objects.get(pk=version.pk).pdf_status == PackVersion.PdfStatus.READY


def test_version_says_whether_its_pdf_is_ready_or_failed(published, settings):
    assert not published.pdf_ready and not published.pdf_failed

    assert pdf.produce_version_pdf(published.pk).version.pdf_ready
    settings.PDF_MAX_PAGES = 1
    other = make_version(published.pack, number=2)
    failed = pdf.produce_version_pdf(other.pk).version
    assert failed.pdf_failed and not failed.pdf_ready
