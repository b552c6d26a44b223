"""Publishing: the one operation that turns a pack's draft into an immutable version.

The web UI, the admin action and `manage.py publish_pack` all call `publish` (through
`InductionPack.publish`), so the permission and four-eyes rules, the check that something
changed, the numbering, the audit entry and the after-commit signal are the same whichever
way a version is made.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .approvals import answer_by_publication
from .baseline import draft_national_revision
from .models import AuditEvent, InductionPack, PackVersion, PublishRefusal
from .pictures import pictures_shown_in
from .rendering import render_snapshot_html
from .signals import version_published
from .snapshot import snapshot_draft


class PublishError(Exception):
    """Publishing did not happen; the message says why, in words for the user."""


class PublishRefused(PublishError, PermissionDenied):
    """The user may not publish this pack's draft: `refusal` says which rule stops them."""

    def __init__(self, refusal: PublishRefusal):
        self.refusal = refusal
        super().__init__(refusal.message)


class SecondPersonRequired(PublishRefused):
    """The pack needs approval by a second person, and this approver edited the draft."""


class DraftChanged(PublishError):
    """The draft changed after the publisher opened it: what they reviewed is not what would
    be published."""

    def __init__(self):
        super().__init__(
            "The draft changed while you were reviewing it, so it was not published. Check "
            "what changed below, then publish again."
        )


class NothingToPublish(PublishError):
    """The draft is the same as the newest version."""

    def __init__(self, number: int):
        self.number = number
        super().__init__(
            f"Nothing has changed since version {number}, so there is nothing to publish."
        )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _check(pack: InductionPack, user) -> None:
    refusal = pack.publish_refusal(user)
    if refusal is None:
        return
    if refusal.is_second_person_rule:
        raise SecondPersonRequired(refusal)
    raise PublishRefused(refusal)


def publish(
    pack: InductionPack, *, user, change_summary: str = "", reviewed_revision: int | None = None
) -> PackVersion:
    """Freeze the pack's draft into the next version, published by `user`.

    `reviewed_revision` is the draft revision the publisher was shown (the web form carries
    it); a draft edited since is refused with DraftChanged. Raises PublishRefused (a
    PermissionDenied; SecondPersonRequired for the four-eyes rule) when the user may not
    publish, and NothingToPublish when the draft is the same as the newest version. The pack
    row is locked for the whole transaction, so concurrent publishes queue up and each gets
    its own number. A request for approval waiting on the pack is marked published by `user`
    (induction/approvals.py). The version records the revision of the national text the draft
    was built from (see induction/baseline.py) and the trust's pictures it shows. The PDF is
    made after commit, by whoever listens to `version_published`.
    """
    _check(pack, user)
    with transaction.atomic(durable=True):
        locked = (
            InductionPack.objects.select_for_update()
            .select_related("trust", "board_role")
            .get(pk=pack.pk)
        )
        # Check again under the lock: the draft's editors may have changed since.
        _check(locked, user)
        if reviewed_revision is not None and reviewed_revision != locked.draft_revision:
            raise DraftChanged()
        latest = locked.versions.order_by("-number").first()
        content = snapshot_draft(locked)
        if latest is not None and latest.content == content:
            raise NothingToPublish(latest.number)
        number = (locked.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
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
            national_revision=draft_national_revision(locked),
        )
        # Which of the trust's pictures the version shows decides who may see them, and
        # which the PDF embeds; recorded now, as the version is frozen.
        version.pictures.set(pictures_shown_in(version.rendered_html, locked.trust))
        summary = f": {version.change_summary}" if version.change_summary else ""
        locked.record(
            user, AuditEvent.Action.PUBLISHED, f"Version {number}{summary}", version=version
        )
        # A draft someone asked to have approved is answered by its publication, whoever
        # publishes and whichever way (web, admin, command line).
        answer_by_publication(pack=locked, version=version, user=user)
        transaction.on_commit(
            lambda: version_published.send(sender=PackVersion, version=version), robust=False
        )
    for cached in ("latest_version", "newest_versions", "draft_editor_ids"):
        pack.__dict__.pop(cached, None)
    return version
