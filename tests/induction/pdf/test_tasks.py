"""The PDF is made once per published version, after the publishing transaction commits, by a
django-tasks task on whichever backend is configured."""

import hashlib

import pytest
from django.core.management import call_command

from induction.models import PackVersion
from induction.pdf.tasks import render_version_pdf

from .support import make_pack, make_version


def test_publishing_makes_the_pdf_only_after_the_transaction_commits(
    pack, editor_approver, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = pack.publish(user=editor_approver)
        # Inside the publishing transaction nothing has been rendered.
        assert version.pdf_status == PackVersion.PdfStatus.PENDING
        assert list(media_root.rglob("*.pdf")) == []

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


def test_the_task_returns_the_pdf_status(published):
    result = render_version_pdf.enqueue(version_id=published.pk)

    assert result.return_value == "ready"


def test_publishing_queues_the_task_on_the_configured_backend(
    pack, editor_approver, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        version = pack.publish(user=editor_approver)

    backend = render_version_pdf.get_backend()
    # Other apps queue their own tasks on the same signal (the notifications' e-mails).
    assert [
        (r.task.name, r.kwargs) for r in backend.results if r.task.name == "render_version_pdf"
    ] == [("render_version_pdf", {"version_id": version.pk})]
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
