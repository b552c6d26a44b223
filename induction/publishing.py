"""Publishing: the one operation that turns a pack's draft into an immutable version.

The web UI, the admin action and `manage.py publish_pack` all call `publish` (through
`InductionPack.publish`), so the permission and four-eyes rules, the numbering, the audit
entry and the after-commit signal are the same whichever way a version is made.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import AuditEvent, InductionPack, PackVersion
from .signals import version_published
from .snapshot import render_snapshot_html, snapshot_draft


class PublishError(PermissionDenied):
    """Publishing was refused by a rule of the pack; the message says why, for the user."""


class SecondPersonRequired(PublishError):
    """The pack needs approval by a second person, and this approver made the last edit."""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _check(pack: InductionPack, user) -> None:
    reason = pack.publish_refusal(user)
    if reason is None:
        return
    if pack.requires_approval and pack.can_approve(user):
        raise SecondPersonRequired(reason)
    raise PermissionDenied(reason)


def publish(pack: InductionPack, *, user, change_summary: str = "") -> PackVersion:
    """Freeze the pack's draft into the next version, published by `user`.

    Raises PermissionDenied when the user may not publish, or SecondPersonRequired (a
    PublishError, itself a PermissionDenied) when the four-eyes rule stops them. The pack row
    is locked for the whole transaction, so concurrent publishes queue up and each gets its
    own number. The PDF is made after commit, by whoever listens to `version_published`.
    """
    _check(pack, user)
    with transaction.atomic(durable=True):
        locked = (
            InductionPack.objects.select_for_update()
            .select_related("trust", "board_role")
            .get(pk=pack.pk)
        )
        # Check again under the lock: the last editor may have changed since the first check.
        _check(locked, user)
        number = (locked.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
        content = snapshot_draft(locked)
        now = timezone.now()
        version = PackVersion.objects.create(
            pack=locked,
            number=number,
            content=content,
            rendered_html=render_snapshot_html(content),
            change_summary=change_summary.strip(),
            published_by=user,
            approved_by=user if locked.requires_approval else None,
            published_at=now,
            next_review_date=add_months(timezone.localdate(now), locked.review_interval_months),
        )
        AuditEvent.objects.create(
            trust=locked.trust,
            pack=locked,
            actor=user,
            action=AuditEvent.Action.PUBLISHED,
            detail=f"Version {number}"
            + (f": {version.change_summary}"[:480] if change_summary else ""),
            version=version,
        )
        transaction.on_commit(
            lambda: version_published.send(sender=PackVersion, version=version), robust=False
        )
    pack.__dict__.pop("latest_version", None)
    return version
