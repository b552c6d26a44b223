"""Signal receivers of the notifications app, connected in NotificationsConfig.ready(). Each
only queues a task, after the change that set it off has committed: the e-mails are worked out
and sent by the worker, never inside the request."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from induction.models import ApprovalRequest, Membership, PackVersion
from induction.signals import approval_request_changed, version_published

from .models import Kind, SentNotification
from .tasks import (
    notify_approval_answered,
    notify_approval_requested,
    notify_version_published,
    send_welcome,
    welcome_key,
)

logger = logging.getLogger(__name__)


@receiver(version_published, sender=PackVersion, dispatch_uid="notifications.version_published")
def enqueue_version_published(sender, version, **kwargs):
    """Queue the e-mails about a new version. `version_published` is sent only once the
    publishing transaction has committed; a failure to queue must not fail the publication."""
    try:
        notify_version_published.enqueue(version_id=version.pk)
    except Exception:
        logger.exception("Could not queue the e-mails about %s.", version)


@receiver(approval_request_changed, sender=ApprovalRequest, dispatch_uid="notifications.approval")
def enqueue_approval_emails(sender, approval, **kwargs):
    """A request for approval was made (tell the approvers) or answered (tell the editor who
    asked). Sent after commit; a failure to queue must not fail what the user did."""
    task = {
        ApprovalRequest.Status.WAITING: notify_approval_requested,
        ApprovalRequest.Status.RETURNED: notify_approval_answered,
        ApprovalRequest.Status.PUBLISHED: notify_approval_answered,
    }.get(approval.status)
    if task is None:
        return
    try:
        task.enqueue(approval_id=approval.pk)
    except Exception:
        logger.exception("Could not queue the e-mails about approval request %s.", approval.pk)


@receiver(post_save, sender=Membership, dispatch_uid="notifications.welcome")
def enqueue_welcome(sender, instance, raw=False, **kwargs):
    """A membership saved with a start date (new, or a start date set now) queues the welcome
    once the save commits, unless this person was already welcomed to this trust. Fixtures
    loaded raw send nothing."""
    if raw or instance.start_date is None:
        return
    already = SentNotification.objects.filter(
        kind=Kind.WELCOME, recipient=instance.user_id, key=welcome_key(instance.trust_id)
    ).exists()
    if already:
        return
    user_id, trust_id = instance.user_id, instance.trust_id

    def enqueue():
        try:
            send_welcome.enqueue(user_id=user_id, trust_id=trust_id)
        except Exception:
            logger.exception("Could not queue the welcome e-mail to user %s.", user_id)

    transaction.on_commit(enqueue)
