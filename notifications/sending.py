"""Queueing one e-mail at most once: the one path every notification takes.

The order matters. Whether the person turned this kind off is checked first; then the
`SentNotification` row is created under its unique constraint, so that of two runs (a command
run twice, two workers, a task retried) only one goes on; only then is the e-mail rendered and
queued. If queueing fails the row is removed again, so the next run tries once more rather than
never.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from mdportal.tasks import send_email

from .emails import Email
from .models import EmailOptOut, SentNotification

logger = logging.getLogger(__name__)


def send_once(*, kind: str, recipient, key: str, build: Callable[[], Email]) -> bool:
    """Queue the e-mail `build()` makes for `recipient`, unless they have no address, are
    switched off, turned `kind` off, or were sent this `kind` about `key` before. Returns
    whether it was queued."""
    if not recipient.is_active or not recipient.email:
        return False
    if EmailOptOut.objects.filter(user=recipient, kind=kind).exists():
        return False
    try:
        with transaction.atomic():
            record = SentNotification.objects.create(kind=kind, recipient=recipient, key=key)
    except IntegrityError:
        return False
    try:
        email = build()
        send_email.enqueue(
            subject=email.subject,
            body=email.body,
            html_body=email.html_body,
            to=[recipient.email],
        )
    except Exception:
        logger.exception("Could not queue the %s e-mail to user %s (%s).", kind, recipient.pk, key)
        record.delete()
        return False
    return True
