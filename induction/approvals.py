"""Approval as a conversation: an editor asks the trust's approvers to publish the draft, and an
approver returns it with comments or publishes it.

Asking changes nothing about who may publish: the four-eyes rule stays in
`InductionPack.publish_refusal` and induction/publishing.py, which also answers the waiting
request when a version is published (`answer_by_publication`). Each function here checks the
user's role (PermissionDenied, with words for the user), validates its input (ValidationError
naming the field), takes the pack's row lock and re-reads the request under it, so that of two
approvers answering at once one wins and the other is told what happened, and writes the audit
trail. Whoever must be told is told after commit, through `approval_request_changed`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .models import ApprovalRequest, AuditEvent, InductionPack, Membership, PackVersion
from .signals import approval_request_changed
from .snapshot import snapshot_draft

__all__ = [
    "AlreadyAnswered",
    "answer_by_publication",
    "return_with_comments",
    "submit_for_approval",
    "withdraw",
]

COMMENTS_REQUIRED = "Enter your comments: say what needs to change before you can publish it"
COMMENTS_TOO_LONG = (
    f"Shorten your comments to {ApprovalRequest.COMMENTS_LENGTH:,} characters or fewer"
)
MESSAGE_TOO_LONG = f"Shorten your message to {ApprovalRequest.MESSAGE_LENGTH:,} characters or fewer"
NO_OTHER_APPROVER = (
    "Nobody else can approve this draft: the trust has no other approver. Ask the portal team "
    "to give a second person the approver role."
)


class AlreadyAnswered(ValidationError):
    """The request is no longer waiting (someone answered, withdrew or replaced it first).
    `approval` is the request as it is now."""

    def __init__(self, approval: ApprovalRequest):
        self.approval = approval
        super().__init__(answered_words(approval))


def _name(user) -> str:
    if user is None:
        return "someone whose account was removed"
    return user.get_full_name() or user.get_username()


def answered_words(approval: ApprovalRequest) -> str:
    """What became of a request that is no longer waiting, in a sentence for the user."""
    when = format_date(timezone.localtime(approval.responded_at), "j F Y, H:i")
    status, who = ApprovalRequest.Status, _name(approval.responded_by)
    if approval.status == status.RETURNED:
        return f"{who} already returned this draft with comments at {when}."
    if approval.status == status.PUBLISHED:
        number = f" as version {approval.version.number}" if approval.version else ""
        return f"{who} already published this draft{number} at {when}."
    if approval.status == status.WITHDRAWN:
        return f"{who} withdrew this request at {when}."
    return "This request was replaced by a newer one: answer that one instead."


def _text(value, *, field: str, limit: int, too_long: str, required: str | None = None) -> str:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{field} must be text")
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: too_long})
    return text


def _locked(pack: InductionPack) -> InductionPack:
    """The pack, row-locked until the transaction ends (every approval step and publishing
    take this lock, so they queue behind each other)."""
    return (
        InductionPack.objects.select_for_update()
        .select_related("trust", "board_role")
        .get(pk=pack.pk)
    )


def _waiting_under_lock(approval: ApprovalRequest) -> ApprovalRequest:
    current = ApprovalRequest.objects.select_related("responded_by", "version").get(pk=approval.pk)
    if current.status != ApprovalRequest.Status.WAITING:
        raise AlreadyAnswered(current)
    return current


def _announce(approval: ApprovalRequest) -> None:
    transaction.on_commit(
        lambda: approval_request_changed.send(sender=ApprovalRequest, approval=approval),
        robust=True,
    )


def submit_for_approval(*, pack: InductionPack, user, message: str = "") -> ApprovalRequest:
    """Ask the trust's approvers to publish the draft as it is now, with an optional message.

    Editors only (PermissionDenied). Refused with a ValidationError when the draft is the same
    as the newest version, or when nobody but the user could approve it. A request already
    waiting is superseded by this one: an editor who changed the draft after asking simply
    asks again, and the approvers see only the newest request.
    """
    pack.check_can_edit(user)
    message = _text(
        message, field="message", limit=ApprovalRequest.MESSAGE_LENGTH, too_long=MESSAGE_TOO_LONG
    )
    with transaction.atomic():
        locked = _locked(pack)
        latest = locked.versions.order_by("-number").first()
        if latest is not None and latest.content == snapshot_draft(locked):
            raise ValidationError(
                f"The draft is the same as version {latest.number}, the version readers see "
                "now, so there is nothing to approve. Edit the pack first."
            )
        others = Membership.objects.filter(
            trust=locked.trust_id, role=Membership.Role.APPROVER
        ).exclude(user=user)
        if not others.exists():
            raise ValidationError(NO_OTHER_APPROVER)
        now = timezone.now()
        ApprovalRequest.objects.filter(pack=locked, status=ApprovalRequest.Status.WAITING).update(
            status=ApprovalRequest.Status.SUPERSEDED, responded_at=now
        )
        approval = ApprovalRequest.objects.create(
            pack=locked,
            draft_revision=locked.draft_revision,
            submitted_by=user,
            message=message,
            submitted_at=now,
        )
        locked.record(user, AuditEvent.Action.APPROVAL_REQUESTED, message or "No message")
        _announce(approval)
    return approval


def return_with_comments(*, approval: ApprovalRequest, user, comments: str) -> ApprovalRequest:
    """Send the draft back to the editor who asked, with comments saying what to change.

    Approvers only, and never the person who asked (PermissionDenied); comments are required
    (ValidationError). AlreadyAnswered if the request stopped waiting meanwhile, for example
    because another approver published or returned it first.
    """
    refusal = approval.return_refusal(user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    comments = _text(
        comments,
        field="comments",
        limit=ApprovalRequest.COMMENTS_LENGTH,
        too_long=COMMENTS_TOO_LONG,
        required=COMMENTS_REQUIRED,
    )
    with transaction.atomic():
        locked = _locked(approval.pack)
        current = _waiting_under_lock(approval)
        current.status = ApprovalRequest.Status.RETURNED
        current.responded_by, current.responded_at = user, timezone.now()
        current.comments = comments
        current.save(update_fields=["status", "responded_by", "responded_at", "comments"])
        locked.record(user, AuditEvent.Action.APPROVAL_RETURNED, comments)
        _announce(current)
    return current


def withdraw(*, approval: ApprovalRequest, user) -> ApprovalRequest:
    """Take back a waiting request (the trust's editors: the person who asked may be away).
    AlreadyAnswered if it stopped waiting meanwhile."""
    approval.pack.check_can_edit(user)
    with transaction.atomic():
        locked = _locked(approval.pack)
        current = _waiting_under_lock(approval)
        current.status = ApprovalRequest.Status.WITHDRAWN
        current.responded_by, current.responded_at = user, timezone.now()
        current.save(update_fields=["status", "responded_by", "responded_at"])
        asked = format_date(timezone.localtime(current.submitted_at), "j F Y, H:i")
        locked.record(
            user,
            AuditEvent.Action.APPROVAL_WITHDRAWN,
            f"Withdrew the request {_name(current.submitted_by)} made at {asked}",
        )
        _announce(current)
    return current


def answer_by_publication(*, pack: InductionPack, version: PackVersion, user) -> None:
    """Mark the pack's waiting request, if any, published by `user` as `version`, with an
    audit entry. Called by induction/publishing.py inside the publishing transaction, with the
    pack's row lock held; the publish rules have been checked there already."""
    current = (
        ApprovalRequest.objects.filter(pack=pack, status=ApprovalRequest.Status.WAITING)
        .select_related("submitted_by")
        .first()
    )
    if current is None:
        return
    changed = current.draft_revision != pack.draft_revision
    current.status = ApprovalRequest.Status.PUBLISHED
    current.responded_by, current.responded_at = user, version.published_at
    current.version = version
    current.save(update_fields=["status", "responded_by", "responded_at", "version"])
    asked = format_date(timezone.localtime(current.submitted_at), "j F Y")
    detail = f"Version {version.number}, asked for by {_name(current.submitted_by)} on {asked}"
    if changed:
        detail += " (the draft had changed since it was asked for)"
    pack.record(user, AuditEvent.Action.APPROVAL_PUBLISHED, detail, version=version)
    _announce(current)
