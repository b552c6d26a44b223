"""The writes of an inductee's journey: ticking a checklist step off (or back on) and saying
"I have read this version". Each checks who may do it and what they sent, and is safe to run
twice at once: two tabs, a double click, or a publication landing mid-request never lose a
record or make it twice (the database's unique constraints decide, `get_or_create` copes).
"""

from django.core.exceptions import PermissionDenied, ValidationError

from induction.models import InductionPack, PackVersion

from .models import Acknowledgement, ChecklistTick
from .progress import Record, checklist_items, record_for

NOT_THE_INDUCTEE = (
    "Only the person being inducted into this role can tick off its checklist, and only on "
    "their own record."
)
NOT_A_MEMBER = "Only members of the trust can record that they have read its induction pack."


def _own_record(user, pack: InductionPack) -> Record:
    record = record_for(user, pack)
    if record is None:
        raise PermissionDenied(NOT_THE_INDUCTEE)
    return record


def _checked_key(record: Record, item_key: str) -> str:
    """The key if it names a step of the newest version's checklist, else ValidationError."""
    if record.version is None:
        raise ValidationError("This pack has no published checklist yet.")
    if item_key not in {item["key"] for item in checklist_items(record.version.content)}:
        raise ValidationError(
            f"That step is not in the checklist of version {record.version.number}: it may have "
            "been removed in a new version. Reload the page and try again."
        )
    return item_key


def tick(*, user, pack: InductionPack, item_key: str) -> ChecklistTick:
    """Mark a step of the user's own checklist done, now; ticking it again keeps the first
    time. PermissionDenied unless they are the pack's inductee; ValidationError for a key that
    is not a step of the newest version."""
    key = _checked_key(_own_record(user, pack), item_key)
    done, _ = ChecklistTick.objects.get_or_create(user=user, pack=pack, item_key=key)
    return done


def untick(*, user, pack: InductionPack, item_key: str) -> None:
    """Mark a step of the user's own checklist not done (nothing happens if it was not)."""
    key = _checked_key(_own_record(user, pack), item_key)
    ChecklistTick.objects.filter(user=user, pack=pack, item_key=key).delete()


def version_numbered(pack: InductionPack, number) -> PackVersion:
    """The pack's published version `number` (list fields only), or ValidationError."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = None
    version = (
        pack.versions.filter(number=number).defer("content", "rendered_html").first()
        if number is not None and number > 0
        else None
    )
    if version is None:
        raise ValidationError("Choose a published version of this pack to say you have read.")
    return version


def acknowledge(*, user, pack: InductionPack, number) -> tuple[Acknowledgement, bool]:
    """Record that `user` has read version `number` of `pack`: (the acknowledgement, whether
    it is new). Saying it twice keeps the first time. PermissionDenied unless they are a member
    of the pack's trust; ValidationError if the pack has no such version."""
    if not pack.is_member(user):
        raise PermissionDenied(NOT_A_MEMBER)
    version = version_numbered(pack, number)
    return Acknowledgement.objects.get_or_create(user=user, version=version)
