"""Signal receivers of the induction app, connected in InductionConfig.ready()."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import MEMBER_ROLES, Membership, PackVersion
from .signals import version_published

logger = logging.getLogger(__name__)


@receiver(version_published, sender=PackVersion, dispatch_uid="induction.enqueue_version_pdf")
def enqueue_version_pdf(sender, version, **kwargs):
    """Queue the new version's PDF. Sent after the publishing transaction has committed.

    Publishing has already succeeded, so a failure to queue must not undo or fail it: the
    version stays `pdf_status=pending`, and `manage.py render_pack_pdfs --missing-only` makes it.
    """
    from .pdf.tasks import render_version_pdf

    try:
        render_version_pdf.enqueue(version_id=version.pk)
    except Exception:
        logger.exception("Could not queue the PDF of %s; it stays pending.", version)


@receiver(post_save, sender=Membership, dispatch_uid="induction.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="induction.membership_deleted")
def forget_kept_roles(sender, **kwargs):
    """Whatever roles were kept in the cache are read again after any membership changes."""
    MEMBER_ROLES.advance()
