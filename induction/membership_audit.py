"""Memberships changed in the admin, written to the trust's audit trail as the portal's own
member pages write theirs (journey/members.py): a role given, changed or taken away, and a
change of board role or start date."""

from .models import AuditEvent, Membership

INDUCTION_FIELDS = {"board_role": "board role", "start_date": "start date"}


def _who(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


def _role(membership: Membership) -> str:
    return Membership.Role(membership.role).label.split(" (")[0].lower()


def _induction(membership: Membership) -> str:
    board_role = membership.board_role.name if membership.board_role else "no board role"
    start = membership.start_date.strftime("%-d %B %Y") if membership.start_date else "no date"
    return f"board role {board_role}, start date {start}"


def added(actor, membership: Membership) -> None:
    membership.trust.record(
        actor,
        AuditEvent.Action.MEMBER_ROLES_CHANGED,
        f"{_who(membership)}: given the {_role(membership)} role in the admin",
    )


def changed(actor, membership: Membership, fields) -> None:
    fields = set(fields)
    if "role" in fields:
        membership.trust.record(
            actor,
            AuditEvent.Action.MEMBER_ROLES_CHANGED,
            f"{_who(membership)}: role changed to {_role(membership)} in the admin",
        )
    if fields & INDUCTION_FIELDS.keys():
        membership.trust.record(
            actor,
            AuditEvent.Action.MEMBER_INDUCTION_CHANGED,
            f"{_who(membership)}: {_induction(membership)}, set in the admin",
        )


def removed(actor, membership: Membership) -> None:
    membership.trust.record(
        actor,
        AuditEvent.Action.MEMBER_REMOVED,
        f"Removed {_who(membership)} ({_role(membership)}) in the admin",
    )
