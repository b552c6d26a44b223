"""Who each e-mail goes to, scoped to one trust. Every list ends with the pack's own read rule
(`InductionPack.can_read`), so nothing about a members-only pack reaches anyone who may not read
it, whatever changes in how memberships are counted. Platform staff, who may read every pack
without belonging to its trust, are not members and are sent nothing."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from induction.models import InductionPack, Membership


def _readers(pack: InductionPack, users) -> list:
    return [user for user in users.distinct().order_by("pk") if pack.can_read(user)]


def members(pack: InductionPack) -> list:
    """Everyone with any role in the pack's trust who may read it."""
    return _readers(pack, get_user_model().objects.filter(memberships__trust=pack.trust_id))


def editors(pack: InductionPack) -> list:
    """The editors of the pack's trust (who may read it)."""
    return _readers(
        pack,
        get_user_model().objects.filter(
            memberships__trust=pack.trust_id, memberships__role=Membership.Role.EDITOR
        ),
    )


def approvers(pack: InductionPack) -> list:
    """The approvers of the pack's trust (who may read it)."""
    return _readers(
        pack,
        get_user_model().objects.filter(
            memberships__trust=pack.trust_id, memberships__role=Membership.Role.APPROVER
        ),
    )


@dataclass(frozen=True)
class Inductee:
    user: object
    pack: InductionPack
    start_date: datetime.date


def inductees() -> list[Inductee]:
    """Each person being inducted into a board role, with their trust's pack for that role and
    their start date: from memberships that carry both a board role and a start date. A person
    with more than one such membership in a trust (say reader and editor) counts once, from
    the earliest start date."""
    memberships = (
        Membership.objects.filter(board_role__isnull=False, start_date__isnull=False)
        .select_related("user")
        .order_by("user_id", "trust_id", "board_role_id", "start_date")
    )
    packs = {
        (pack.trust_id, pack.board_role_id): pack
        for pack in InductionPack.objects.select_related("trust", "board_role").filter(
            trust__in={membership.trust_id for membership in memberships}
        )
    }
    found: dict[tuple[int, int], Inductee] = {}
    for membership in memberships:
        pack = packs.get((membership.trust_id, membership.board_role_id))
        if pack is None or (membership.user_id, pack.pk) in found:
            continue
        if pack.can_read(membership.user):
            found[(membership.user_id, pack.pk)] = Inductee(
                membership.user, pack, membership.start_date
            )
    return list(found.values())
