"""Background tasks of the project itself: sending e-mail (django-tasks).

E-mail never goes out inside a request: a slow or unreachable mail server must hold a worker,
not a web request, and the time a request takes must not tell anyone whether a message was
sent. With the immediate backend (`make run`, tests) the task runs as soon as it is queued.
"""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
) -> None:
    """Send one message, already rendered, through EMAIL_BACKEND (DEFAULT_FROM_EMAIL when
    `from_email` is None). A failure fails the task, with its traceback in the task result."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    message.send()
