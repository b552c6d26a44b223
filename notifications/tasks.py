"""Background tasks that work out who to tell and queue one e-mail each (through
`sending.send_once`, so each goes at most once). They run on the task worker, after the
publication or membership change that started them has committed."""

from django_tasks import task

from induction.models import ApprovalRequest, InductionPack, Membership, PackVersion
from journey.progress import last_acknowledged

from . import emails, recipients
from .models import Kind
from .sending import send_once


@task
def notify_version_published(*, version_id: int) -> int:
    """E-mail the trust's members who may read the pack about a new version: its change
    summary and a link to compare it with the version each last acknowledged. The person who
    published it is not told. Returns how many e-mails were queued."""
    version = (
        PackVersion.objects.defer("content", "rendered_html")
        .select_related("pack__trust", "pack__board_role")
        .get(pk=version_id)
    )
    pack = version.pack
    queued = 0
    for member in recipients.members(pack):
        if member.pk == version.published_by_id:
            continue
        queued += send_once(
            kind=Kind.VERSION_PUBLISHED,
            recipient=member,
            key=f"version:{version.pk}",
            build=lambda member=member: emails.version_published(
                version=version,
                recipient=member,
                last_acknowledged=last_acknowledged(member, pack),
            ),
        )
    return queued


def welcome_key(trust_id: int) -> str:
    """One welcome per person and trust, however many memberships they hold there."""
    return f"trust:{trust_id}"


@task
def send_welcome(*, user_id: int, trust_id: int) -> bool:
    """Welcome a member of a trust who has a start date, with the link to the trust's pack for
    their board role (the trust's first pack if none is named). Nothing if the start date has
    been cleared since. Returns whether an e-mail was queued."""
    memberships = Membership.objects.filter(
        user=user_id, trust=trust_id, start_date__isnull=False
    ).select_related("user", "trust")
    first = memberships.order_by("start_date", "pk").first()
    if first is None:
        return False
    board_roles = [m.board_role_id for m in memberships if m.board_role_id is not None]
    packs = InductionPack.objects.filter(trust=trust_id).order_by("board_role__order", "pk")
    pack = (packs.filter(board_role__in=board_roles).first() if board_roles else None) or (
        packs.first()
    )
    if pack is not None and not pack.can_read(first.user):
        pack = None
    return send_once(
        kind=Kind.WELCOME,
        recipient=first.user,
        key=welcome_key(trust_id),
        build=lambda: emails.welcome(
            recipient=first.user, trust=first.trust, pack=pack, start_date=first.start_date
        ),
    )


def _approval(approval_id: int) -> ApprovalRequest:
    return ApprovalRequest.objects.select_related(
        "pack__trust", "pack__board_role", "submitted_by", "responded_by", "version"
    ).get(pk=approval_id)


@task
def notify_approval_requested(*, approval_id: int) -> int:
    """E-mail the trust's approvers, except the editor who asked, that a draft waits for their
    approval. Nothing if the request stopped waiting before the worker got to it. Returns how
    many e-mails were queued."""
    approval = _approval(approval_id)
    if approval.status != ApprovalRequest.Status.WAITING:
        return 0
    queued = 0
    for approver in recipients.approvers(approval.pack):
        if approver.pk == approval.submitted_by_id:
            continue
        queued += send_once(
            kind=Kind.APPROVAL_REQUESTED,
            recipient=approver,
            key=f"approval:{approval.pk}",
            build=lambda approver=approver: emails.approval_requested(
                approval=approval, recipient=approver
            ),
        )
    return queued


@task
def notify_approval_answered(*, approval_id: int) -> bool:
    """E-mail the editor who asked for approval that their draft was returned with comments
    or published. Not when they answered it themselves (publishing with the rule off). Returns
    whether an e-mail was queued."""
    approval = _approval(approval_id)
    answered = {ApprovalRequest.Status.RETURNED, ApprovalRequest.Status.PUBLISHED}
    submitter = approval.submitted_by
    if approval.status not in answered or submitter is None:
        return False
    if submitter.pk == approval.responded_by_id or not approval.pack.can_read(submitter):
        return False
    return send_once(
        kind=Kind.APPROVAL_ANSWERED,
        recipient=submitter,
        key=f"approval:{approval.pk}",
        build=lambda: emails.approval_answered(approval=approval, recipient=submitter),
    )
