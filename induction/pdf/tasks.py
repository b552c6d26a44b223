"""The background task that makes a version's PDF (django-tasks, the backport of django.tasks).

Queued by induction/receivers.py when a version is published.

The immediate backend (the default) runs a task as soon as it is enqueued; with
DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend a `manage.py db_worker` process runs it.
"""

from django_tasks import task

from .storing import produce_version_pdf


@task
def render_version_pdf(version_id: int) -> str:
    """Render and store the PDF of one published version; return its `pdf_status`.

    A failed render is recorded on the version (and in the audit trail), not raised: the task
    itself succeeds, so a worker does not retry a document that will fail the same way again.
    """
    return produce_version_pdf(version_id).version.pdf_status
