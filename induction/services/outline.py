"""The draft's outline: sections added, removed and put in a new order.

Changes of the outline take the pack's row lock, so that two of them (a reorder and an add, a
remove or a move) take turns, and the second finds the outline as the first left it.
Positions stay 1, 2, 3….
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from ..comparison import staying_in_order
from ..importing import MAX_SECTIONS
from ..models import AuditEvent, InductionPack, Section
from .sections import raise_conflict, validated_body, validated_title


class OrderConflict(Exception):
    """The draft's sections are no longer the ones, in the order, that the editor's page showed
    (someone added, removed or moved one since): a reordering made on that page is refused."""

    def __init__(self):
        super().__init__(
            "The sections were changed by someone else while you were moving them, so their "
            "order has not been saved. Check the order as it is now, then move them again."
        )


def add_section(
    *,
    pack: InductionPack,
    user,
    title: str,
    kind: str = Section.Kind.MARKDOWN,
    body: str = "",
    position: int | None = None,
) -> Section:
    """Add a section at the end, or at 1-based `position`. A responsibilities section starts
    with every national responsibility of the pack's role, held by the role-holder."""
    pack.check_can_edit(user)
    title = validated_title(title)
    body = validated_body(body)
    if kind not in Section.Kind.values:
        raise ValidationError({"kind": "Choose what kind of section to add."})
    with transaction.atomic():
        _lock_outline(pack)
        if pack.sections.count() >= MAX_SECTIONS:
            # The same limit as an import's, so any draft can be exported, restored and
            # imported again.
            raise ValidationError(
                f"A pack can have at most {MAX_SECTIONS} sections. Remove or merge one first."
            )
        last = pack.sections.aggregate(highest=Max("order"))["highest"] or 0
        section = Section.objects.create(
            pack=pack, kind=kind, title=title, body=body, order=last + 1, updated_by=user
        )
        if kind == Section.Kind.RESPONSIBILITIES:
            section.add_national_overlays()
        if position is not None:
            ids = [s.pk for s in pack.sections.all() if s.pk != section.pk]
            ids.insert(max(0, position - 1), section.pk)
            _renumber(pack, ids)
        pack.record(user, AuditEvent.Action.SECTION_ADDED, f"Added “{title}”")
    section.refresh_from_db()
    return section


def remove_section(*, section: Section, user, expected_revision: int) -> None:
    """Remove a section from the draft (published versions keep their copy), unless it
    changed since the editor was asked to confirm (EditConflict)."""
    pack = section.pack
    pack.check_can_edit(user)
    with transaction.atomic():
        deleted, _ = Section.objects.filter(pk=section.pk, revision=expected_revision).delete()
        if not deleted:
            if not Section.objects.filter(pk=section.pk).exists():
                return  # someone else removed it first: what the editor asked for is done
            raise_conflict(section)
        _renumber(pack, list(pack.sections.values_list("pk", flat=True)))
        pack.record(user, AuditEvent.Action.SECTION_REMOVED, f"Removed “{section.title}”")


def _lock_outline(pack: InductionPack) -> None:
    """Take the pack's row lock until the transaction ends: two adds, moves or reorders from
    the same page take turns, and the second finds the order the first left."""
    InductionPack.objects.select_for_update().filter(pk=pack.pk).first()


def _renumber(pack: InductionPack, ordered_ids: list[int]) -> None:
    sections = {s.pk: s for s in pack.sections.all()}
    for order, pk in enumerate(ordered_ids, start=1):
        sections[pk].order = order
    Section.objects.bulk_update(sections.values(), ["order"])


def move_section(*, section: Section, user, direction: Literal["up", "down"]) -> None:
    """Move a section one place up or down; at either end it stays where it is."""
    pack = section.pack
    pack.check_can_edit(user)
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the section up or down.")
    with transaction.atomic():
        _lock_outline(pack)
        ids = list(pack.sections.values_list("pk", flat=True))
        index = ids.index(section.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(ids):
            return
        ids[index], ids[target] = ids[target], ids[index]
        _renumber(pack, ids)
        pack.record(
            user, AuditEvent.Action.SECTIONS_REORDERED, f"Moved “{section.title}” {direction}"
        )


def _section_ids(ids: Any) -> list[int]:
    if not isinstance(ids, Sequence) or isinstance(ids, str) or len(ids) > MAX_SECTIONS:
        raise ValidationError(f"Give the order of at most {MAX_SECTIONS} sections, as a list.")
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in ids):
        raise ValidationError("Give each section by its number.")
    return list(ids)


def _moved_words(sections: Mapping[int, Section], before: list[int], after: list[int], moved):
    """The audit trail's words for a new order: the section the editor moved, when moving it
    alone explains the new order (two neighbours swapped could be either), else the sections
    that left the longest run still in order (the rule the compare page uses)."""
    count = len(after)
    if moved in sections and [pk for pk in before if pk != moved] == [
        pk for pk in after if pk != moved
    ]:
        names = [moved]
    else:
        old_index = {pk: index for index, pk in enumerate(before)}
        staying = staying_in_order({new: old_index[pk] for new, pk in enumerate(after)})
        names = [pk for new, pk in enumerate(after) if new not in staying]
    where = ", ".join(f"“{sections[pk].title}” to position {after.index(pk) + 1}" for pk in names)
    return f"Moved {where} of {count}"


def reorder_sections(
    *,
    pack: InductionPack,
    user,
    order: Sequence[int],
    expected_order: Sequence[int],
    moved: int | None = None,
) -> str | None:
    """Put the draft's sections in `order` (each section's id once), from a page that showed
    them in `expected_order`; `moved`, if given, is the section the editor moved (a drag or a
    move button), which the audit entry names. Returns the words of that entry ("Moved
    “Glossary” to position 3 of 8"), or None if the order is unchanged.

    Raises OrderConflict, changing nothing, if the draft's sections are not `expected_order`
    now (someone added, removed or moved one); ValidationError if `order` is not the same
    sections rearranged; PermissionDenied unless the user may edit. Positions stay 1, 2, 3….
    """
    pack.check_can_edit(user)
    order, expected_order = _section_ids(order), _section_ids(expected_order)
    if len(set(order)) != len(order) or set(order) != set(expected_order):
        raise ValidationError(
            "The new order must list every section of the draft once, and no other section."
        )
    with transaction.atomic():
        _lock_outline(pack)
        sections = {section.pk: section for section in pack.sections.all()}
        current = list(sections)
        if current != list(expected_order):
            raise OrderConflict()
        if order == current:
            return None
        words = _moved_words(sections, current, order, moved)
        _renumber(pack, order)
        pack.record(user, AuditEvent.Action.SECTIONS_REORDERED, words)
    return words
