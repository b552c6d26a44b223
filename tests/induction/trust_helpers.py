"""Many trusts at once, for the pages that must stay as fast with 250 trusts as with two."""

import itertools

from django.utils.text import slugify

from induction.baseline import create_pack_from_baseline
from induction.models import InductionPack, Trust

# Unique ODS codes (T + two characters): 1,156 before the cycle repeats, more than a test makes.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_codes = itertools.cycle(f"T{a}{b}" for a in _ALPHABET for b in _ALPHABET)


def add_public_trusts(
    national, count, *, prefix="Trust", kind=Trust.Kind.ACUTE, region=Trust.Region.LONDON
):
    """`count` trusts named "<prefix> 000 NHS Trust"…, of `kind` in `region`, each with a
    public pack."""
    for number in range(count):
        trust = Trust.objects.create(
            name=f"{prefix} {number:03d} NHS Trust",
            slug=f"{slugify(prefix)}-{number:03d}",
            ods_code=next(_codes),
            kind=kind,
            region=region,
        )
        pack = create_pack_from_baseline(trust=trust, board_role=national)
        pack.visibility = InductionPack.Visibility.PUBLIC
        pack.save()
