"""Finding a trust's pack for the induction commands, with a clear error when there is none."""

from django.core.management.base import CommandError

from induction.models import InductionPack, Trust
from roles.models import MEDICAL_DIRECTOR_SLUG

DEFAULT_ROLE = MEDICAL_DIRECTOR_SLUG


def pack_for(slug: str, *, role: str = DEFAULT_ROLE) -> InductionPack:
    """The trust's pack for the board role, or CommandError naming what is missing."""
    pack = (
        InductionPack.objects.select_related("trust", "board_role")
        .filter(trust__slug=slug, board_role__slug=role)
        .first()
    )
    if pack is None:
        if not Trust.objects.filter(slug=slug).exists():
            known = ", ".join(Trust.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"There is no trust with the slug {slug!r} (trusts: {known}).")
        raise CommandError(f"The trust {slug!r} has no {role} induction pack yet.")
    return pack
