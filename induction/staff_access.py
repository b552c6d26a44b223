"""Platform staff acting as an editor of a trust: the explicit, audited, time-limited step.

`is_staff` lets platform staff read every pack and reach the admin, but gives them no role in
any trust. To change a trust's pack they either hold a membership, like anyone, or start a
`StaffAccess` here with a reason: until it ends (after `DJANGO_STAFF_ACCESS_HOURS`, or when
they stop) `Trust.role_names_for` gives them the editor role there, never the approver role.
Starting and stopping are written to the trust's audit trail, which its editors read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from .models import AuditEvent, InductionPack, StaffAccess, no_invisible_characters
from .saved_by import local_time_words

REASON_REQUIRED = "Enter why you need to change this trust's pack"
REASON_TOO_LONG = f"Shorten the reason to {StaffAccess.REASON_LENGTH} characters or fewer"
STAFF_ONLY = "Only platform staff can act as an editor of a trust."


def end_time_words(access: StaffAccess) -> str:
    """When the access ends, in local time: "14:30", with the date when that is not today
    ("02:00 on 4 March 2026")."""
    return local_time_words(access.ends_at)


def duration_words() -> str:
    """How long an access lasts, from `DJANGO_STAFF_ACCESS_HOURS`: "4 hours", "30 minutes"."""
    minutes = round(settings.STAFF_ACCESS_HOURS * 60)
    if minutes % 60:
        return f"{minutes} minute{pluralize(minutes)}"
    return f"{minutes // 60} hour{pluralize(minutes // 60)}"


def _clean_reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    reason = reason.strip()
    if len(reason) > StaffAccess.REASON_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})
    try:
        no_invisible_characters(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    return reason


def start_staff_access(*, pack: InductionPack, user, reason: str) -> StaffAccess:
    """Let platform staff member `user` act as an editor of the pack's trust from now until
    `DJANGO_STAFF_ACCESS_HOURS` later, recording the start and `reason` in its audit trail.

    PermissionDenied unless `user` is active platform staff; ValidationError (on "reason")
    without a reason. If they are acting there already, that access is returned unchanged.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        raise PermissionDenied(STAFF_ONLY)
    reason = _clean_reason(reason)
    trust = pack.trust
    trust.forget_roles(user)
    current = trust.staff_access_for(user)
    if current is not None:
        return current
    with transaction.atomic():
        access = StaffAccess.objects.create(user=user, trust=trust, reason=reason)
        pack.record(
            user,
            AuditEvent.Action.STAFF_ACCESS_STARTED,
            f"Acting as an editor until {end_time_words(access)}. Reason: {reason}",
        )
    trust.forget_roles(user)
    return access


def stop_staff_access(*, pack: InductionPack, user) -> int:
    """End every active access of `user` to the pack's trust now, recording it in the audit
    trail. Returns how many were ended (0, and nothing recorded, if none was active)."""
    trust = pack.trust
    with transaction.atomic():
        ended = (
            StaffAccess.objects.active()
            .filter(user=user, trust=trust)
            .update(ended_at=timezone.now())
        )
        if ended:
            pack.record(user, AuditEvent.Action.STAFF_ACCESS_ENDED, "Stopped acting as an editor")
    trust.forget_roles(user)
    return ended
