"""An editor managing the trust's members: the board role and start date someone is being
inducted into, their roles in the trust, and removing them. Each change is checked here
(only the trust's editors; nobody changes their own roles; a trust always keeps an editor)
and written to the trust's audit trail in the same transaction.

Changes to one trust's memberships take a row lock on the trust, so two editors removing the
last two other editors at once cannot leave the trust with none.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateformat import format as format_date

from induction.models import AuditEvent, InductionPack, Membership, Trust

ROLE_ORDER = [Membership.Role.READER, Membership.Role.EDITOR, Membership.Role.APPROVER]
NOT_A_MEMBER = "They are not a member of this trust."
OWN_ROLES = (
    "You cannot change your own roles. Ask another editor of the trust to change them for you."
)
NO_ROLE = "Choose at least one role, or remove them from the trust instead"


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


def role_name(role: str) -> str:
    """ "reader", "editor", "approver": the role's label without its examples."""
    return Membership.Role(role).label.split(" (")[0].lower()


def roles_words(roles) -> str:
    """The roles in the usual order, as words: "reader and editor"."""
    roles = set(roles)
    names = [role_name(role) for role in ROLE_ORDER if role in roles]
    if len(names) <= 1:
        return "".join(names) or "no role"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def induction_words(board_role, start_date) -> str:
    """ "being inducted as Medical Director from 3 March 2027", or "not being inducted"."""
    if board_role is None:
        return "not being inducted"
    words = f"being inducted as {board_role.name}"
    if start_date is not None:
        words += f" from {format_date(start_date, 'j F Y')}"
    return words


def _lock_trust(trust: Trust) -> None:
    Trust.objects.select_for_update().filter(pk=trust.pk).values_list("pk").first()


def _memberships(trust: Trust, member) -> list[Membership]:
    memberships = list(trust.memberships.filter(user=member).select_related("board_role"))
    if not memberships:
        raise ValidationError(NOT_A_MEMBER)
    return memberships


def _check_keeps_an_editor(trust: Trust, member) -> None:
    """ValidationError if `member` is the trust's only editor (by membership)."""
    others = trust.memberships.filter(role=Membership.Role.EDITOR).exclude(user=member)
    if not others.exists():
        raise ValidationError(
            f"{name_of(member)} is the trust's only editor. Make someone else an editor first: "
            "a trust needs an editor to look after its pack and its members."
        )


def set_induction(*, pack: InductionPack, member, user, board_role_id, start_date) -> int:
    """As an editor (`user`) of the pack's trust, say which board role `member` is being
    inducted into (None: none) and from when, on every membership they hold in the trust;
    the number of memberships changed. A change is written to the audit trail. PermissionDenied
    unless `user` may edit the pack; ValidationError for a board role the trust has no pack
    for, or a start date without one."""
    pack.check_can_edit(user)
    board_role = None
    if board_role_id is not None:
        found = pack.trust.packs.filter(board_role_id=board_role_id).select_related("board_role")
        board_pack = found.first()
        if board_pack is None:
            raise ValidationError("Choose a board role this trust has an induction pack for.")
        board_role = board_pack.board_role
    if board_role_id is None and start_date is not None:
        raise ValidationError("A start date needs the board role they are starting in.")
    trust = pack.trust
    with transaction.atomic():
        memberships = list(trust.memberships.filter(user=member).select_related("board_role"))
        before = next((m for m in memberships if m.board_role_id), None)
        changed = trust.memberships.filter(user=member).update(
            board_role_id=board_role_id, start_date=start_date
        )
        old = (before.board_role, before.start_date) if before else (None, None)
        if changed and old != (board_role, start_date):
            trust.record(
                user,
                AuditEvent.Action.MEMBER_INDUCTION_CHANGED,
                f"{name_of(member)}: {induction_words(board_role, start_date)} "
                f"(was: {induction_words(*old)})",
            )
    return changed


def set_roles(*, pack: InductionPack, member, user, roles) -> bool:
    """As an editor (`user`) of the pack's trust, give `member` exactly `roles` there, keeping
    their board role and start date; whether anything changed. A change is written to the
    audit trail. PermissionDenied unless `user` may edit the pack; ValidationError for no role,
    an unknown one, their own roles, someone not in the trust, or taking the editor role from
    the trust's only editor."""
    pack.check_can_edit(user)
    roles = set(roles)
    if not roles:
        raise ValidationError(NO_ROLE)
    if not roles <= set(Membership.Role.values):
        raise ValidationError("Choose roles from the list.")
    if member.pk == user.pk:
        raise ValidationError(OWN_ROLES)
    trust = pack.trust
    with transaction.atomic():
        _lock_trust(trust)
        memberships = _memberships(trust, member)
        old = {membership.role for membership in memberships}
        if old == roles:
            return False
        if Membership.Role.EDITOR in old - roles:
            _check_keeps_an_editor(trust, member)
        kept = memberships[0]
        trust.memberships.filter(user=member, role__in=old - roles).delete()
        for role in sorted(roles - old):
            Membership.objects.create(
                user=member,
                trust=trust,
                role=role,
                board_role=kept.board_role,
                start_date=kept.start_date,
            )
        trust.record(
            user,
            AuditEvent.Action.MEMBER_ROLES_CHANGED,
            f"{name_of(member)}: {roles_words(roles)} (was: {roles_words(old)})",
        )
    trust.forget_roles(member)
    return True


def remove_member(*, pack: InductionPack, member, user) -> None:
    """As an editor (`user`) of the pack's trust, remove every membership `member` holds
    there, writing it to the audit trail. Their checklist ticks and acknowledgements stay (a
    returning member finds them). PermissionDenied unless `user` may edit the pack;
    ValidationError for someone not in the trust, or the trust's only editor."""
    pack.check_can_edit(user)
    trust = pack.trust
    with transaction.atomic():
        _lock_trust(trust)
        memberships = _memberships(trust, member)
        old = {membership.role for membership in memberships}
        if Membership.Role.EDITOR in old:
            _check_keeps_an_editor(trust, member)
        trust.memberships.filter(user=member).delete()
        trust.record(
            user,
            AuditEvent.Action.MEMBER_REMOVED,
            f"Removed {name_of(member)} ({roles_words(old)})",
        )
    trust.forget_roles(member)
