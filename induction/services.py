"""Edits of a pack's draft and settings: what views, the admin and commands call to change it.

Every function is keyword-only, checks that the user may edit the pack (PermissionDenied if
not), validates its input (ValidationError naming the field), and records the change through
`InductionPack.record` (audit entry, draft revision, last editor). Every edit carries the
revision its form was loaded with: a conditional UPDATE … WHERE revision = expected makes the
check race-free, and a stale one raises a conflict with what is there now, so the second of
two editors is told rather than silently overwriting.

Publishing lives in induction/publishing.py, importing in induction/importing.py, comparing
in induction/comparison.py, and the national baseline in induction/baseline.py; taking up (or
declining) a change of the national text is a draft edit like any other, so it is here.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from .baseline import NationalUpdate, national_updates
from .comparison import staying_in_order
from .importing import MAX_SECTIONS, replace_draft
from .models import (
    AuditEvent,
    ChecklistItem,
    InductionPack,
    PackVersion,
    PostHolder,
    PublishRefusal,
    ResponsibilityOverlay,
    Section,
    new_checklist_key,
    no_invisible_characters,
)
from .pictures import check_pictures_are_the_trust_s
from .safe_markdown import validate_markdown
from .snapshot import overlay_relations

__all__ = [
    "SETTINGS_FIELDS",
    "EditConflict",
    "NationalTextMovedOn",
    "OrderConflict",
    "RuleRefused",
    "SettingsConflict",
    "add_section",
    "adopt_national_update",
    "keep_local_text",
    "checklist_rows",
    "move_section",
    "overlays_with_changes",
    "post_holder_rows",
    "remove_section",
    "reorder_sections",
    "restore_version",
    "save_section",
    "update_pack_settings",
]


class EditConflict(Exception):
    """The section changed after the editor opened it. `section` is the current version of it
    (reloaded), so the form can show what is there now beside what the editor typed."""

    def __init__(self, section: Section):
        self.section = section
        super().__init__(
            f"“{section.title}” was changed while you were editing it. Your changes have not "
            "been saved: compare them with the current text, then save again."
        )


class RuleRefused(PermissionDenied):
    """A change the pack's rules do not allow this user to make; the message says why."""


class OrderConflict(Exception):
    """The draft's sections are no longer the ones, in the order, that the editor's page showed
    (someone added, removed or moved one since): a reordering made on that page is refused."""

    def __init__(self):
        super().__init__(
            "The sections were changed by someone else while you were moving them, so their "
            "order has not been saved. Check the order as it is now, then move them again."
        )


class SettingsConflict(Exception):
    """The pack's settings changed after the editor opened the settings form. `pack` is the
    pack as it is now, so the page can show both sides."""

    def __init__(self, pack: InductionPack):
        self.pack = pack
        super().__init__(
            "The pack's settings were changed while you were editing them. Your changes have "
            "not been saved: compare them with the current settings, then save again."
        )


# --- helpers --------------------------------------------------------------------------------


def _bump_revision(section: Section, user, expected_revision: int, **fields) -> None:
    """Apply `fields` and bump the revision in one conditional UPDATE; EditConflict if the
    revision moved on."""
    now = timezone.now()
    updated = Section.objects.filter(pk=section.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_at=now, updated_by=user, **fields
    )
    if not updated:
        _raise_conflict(section)
    section.refresh_from_db(fields=["revision", "updated_at", "updated_by", *fields])


def _raise_conflict(section: Section):
    current = Section.objects.select_related("updated_by").filter(pk=section.pk).first()
    if current is None:
        raise ValidationError("This section has been removed by someone else.")
    raise EditConflict(current)


def _validate_title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": "Enter a title for the section."})
    if len(title.strip()) > 200:
        raise ValidationError({"title": "Shorten the title to 200 characters or fewer."})
    try:
        no_invisible_characters(title)
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from None
    return title.strip()


def _validate_body(body: Any) -> str:
    try:
        validate_markdown(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    return body


# --- the lists within a section -------------------------------------------------------------
# Each turns what an editor typed into unsaved rows, validated by the models' own rules: the
# save below stores them, and the editor's preview shows them without saving.


def overlays_with_changes(
    section: Section, changes: Mapping[int, Mapping[str, str]]
) -> list[ResponsibilityOverlay]:
    """The section's overlays with `changes` ({overlay id: {"status", "delegated_to",
    "note"}}) applied in memory, validated, with their national text, citations and
    later-development notes loaded (`snapshot.overlay_relations`)."""
    overlays = list(
        section.overlays.select_related("responsibility").prefetch_related(*overlay_relations())
    )
    by_id = {overlay.pk: overlay for overlay in overlays}
    errors = {}
    for overlay_id, values in changes.items():
        overlay = by_id.get(int(overlay_id))
        if overlay is None:
            raise ValidationError("That responsibility is not part of this section.")
        overlay.status = values.get("status", overlay.status)
        overlay.delegated_to = values.get("delegated_to", overlay.delegated_to) or ""
        overlay.note = values.get("note", overlay.note) or ""
        try:
            overlay.full_clean(exclude=["section", "responsibility"], validate_unique=False)
            validate_markdown(overlay.note)
        except ValidationError as error:
            title = overlay.responsibility.title
            errors[f"overlay-{overlay.pk}"] = [f"{title}: {m}" for m in error.messages]
    if errors:
        raise ValidationError(errors)
    return overlays


def _rows(section: Section, rows: list[Mapping[str, Any]], build) -> list:
    built, errors = [], {}
    for index, values in enumerate(rows, start=1):
        row = build(section, index, values)
        try:
            row.full_clean(exclude=["section"], validate_unique=False)
        except ValidationError as error:
            errors[f"item-{index}"] = [f"Row {index}: {m}" for m in error.messages]
        built.append(row)
    if errors:
        raise ValidationError(errors)
    return built


def post_holder_rows(section: Section, rows: list[Mapping[str, str]]) -> list[PostHolder]:
    """Unsaved, validated post-holders from rows as in the export format, in order."""

    def build(section, index, values):
        return PostHolder(
            section=section,
            name=(values.get("name") or "").strip(),
            title=(values.get("title") or "").strip(),
            relation=values.get("relation") or "",
            contact=(values.get("contact") or "").strip(),
            order=index,
        )

    return _rows(section, rows, build)


def checklist_rows(section: Section, rows: list[Mapping[str, Any]]) -> list[ChecklistItem]:
    """Unsaved, validated checklist steps from rows as in the export format, in order."""

    def build(section, index, values):
        return ChecklistItem(
            section=section,
            category=values.get("category") or "",
            text=(values.get("text") or "").strip(),
            due_by_day=values.get("due_by_day") or ChecklistItem.Timing.DAY_30,
            order=index,
            # A step keeps its key through edits, so inductees' ticks stay with it.
            key=values.get("key") or new_checklist_key(),
        )

    return _rows(section, rows, build)


# --- sections -------------------------------------------------------------------------------


def save_section(
    *,
    section: Section,
    user,
    expected_revision: int,
    title: str | None = None,
    body: str | None = None,
    overlays: Mapping[int, Mapping[str, str]] | None = None,
    post_holders: list[Mapping[str, str]] | None = None,
    checklist: list[Mapping[str, Any]] | None = None,
) -> Section:
    """Save an edit of a section made from `expected_revision`, all in one revision.

    `overlays` maps overlay ids to `{"status", "delegated_to", "note"}`; `post_holders` and
    `checklist`, when given, replace the section's lists (dicts as in the export format).
    Raises EditConflict when the section has moved on, ValidationError for bad input; in
    either case nothing is saved.
    """
    pack = section.pack
    pack.check_can_edit(user)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _validate_title(title)
    if body is not None:
        changes["body"] = _validate_body(body)
    overlay_rows = overlays_with_changes(section, overlays) if overlays is not None else None
    holder_rows = post_holder_rows(section, post_holders) if post_holders is not None else None
    checklist_items = checklist_rows(section, checklist) if checklist is not None else None
    _check_pictures(pack, changes.get("body"), overlay_rows)
    with transaction.atomic():
        _bump_revision(section, user, expected_revision, **changes)
        if overlay_rows is not None:
            ResponsibilityOverlay.objects.bulk_update(
                overlay_rows, ["status", "delegated_to", "note"]
            )
        if holder_rows is not None:
            section.post_holders.all().delete()
            PostHolder.objects.bulk_create(holder_rows)
        if checklist_items is not None:
            section.checklist.all().delete()
            ChecklistItem.objects.bulk_create(checklist_items)
        pack.record(user, AuditEvent.Action.SECTION_EDITED, f"Edited “{section.title}”")
    return section


def _check_pictures(pack, body, overlay_rows) -> None:
    """The pictures a section's new text shows must be the trust's own."""
    try:
        check_pictures_are_the_trust_s([body or ""], pack.trust)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    if overlay_rows:
        check_pictures_are_the_trust_s([overlay.note for overlay in overlay_rows], pack.trust)


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
    title = _validate_title(title)
    body = _validate_body(body)
    if kind not in Section.Kind.values:
        raise ValidationError({"kind": "Choose what kind of section to add."})
    with transaction.atomic():
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
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
            _raise_conflict(section)
        _renumber(pack, list(pack.sections.values_list("pk", flat=True)))
        pack.record(user, AuditEvent.Action.SECTION_REMOVED, f"Removed “{section.title}”")


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
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
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
        # The pack's row lock makes two reorders (or a reorder and an add, a remove or a
        # move) from the same page take turns: the second finds the order moved on.
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
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


# --- changes of the national text ------------------------------------------------------------


class NationalTextMovedOn(ValidationError):
    """The national text changed again after the editor was shown the update (or no longer
    differs from what the draft recorded): nothing was saved, and the page shows it afresh."""

    def __init__(self):
        super().__init__(
            "The national text changed again while you were looking at it, so nothing was "
            "saved. Check the update as it is now, then choose again."
        )


def _offered_update(
    section: Section, expected_revision: int, national_revision: str
) -> NationalUpdate:
    """The national update of `section` the editor was shown (by its revision), as it is now.

    The section is checked first: if it changed since the editor's page was loaded (another
    editor adopted or kept the update, or edited the section), that is an EditConflict.
    """
    section.refresh_from_db()
    if section.revision != expected_revision:
        _raise_conflict(section)
    update = next(
        (u for u in national_updates(section.pack, [section]) if u.section.pk == section.pk),
        None,
    )
    if update is None or update.after.revision != national_revision:
        raise NationalTextMovedOn()
    return update


def _adopted_checklist(section: Section, update: NationalUpdate) -> list[dict[str, Any]]:
    """The section's steps with the national change applied: steps the national list gained
    are added at the end, steps it dropped are removed where the trust still has them as they
    were; every other step, the trust's own included, stays as it is, with its key."""
    before = {tuple(step) for step in update.before.get("checklist") or []}
    after = [tuple(step) for step in update.after.checklist]
    dropped = before - set(after)
    kept = [
        {"category": i.category, "text": i.text, "due_by_day": i.due_by_day, "key": i.key}
        for i in section.checklist.all()
        if (i.category, i.text, i.due_by_day) not in dropped
    ]
    present = {(row["category"], row["text"], row["due_by_day"]) for row in kept}
    gained = [step for step in after if step not in before and step not in present]
    return kept + [{"category": c, "text": t, "due_by_day": d} for c, t, d in gained]


def adopt_national_update(
    *, section: Section, user, expected_revision: int, national_revision: str
) -> Section:
    """Bring a section up to the national text of `national_revision` (the one the editor was
    shown), as one draft edit from `expected_revision`.

    The section's text becomes the national text; a checklist gains the national steps added
    and loses those withdrawn (see `_adopted_checklist`); a responsibilities section gains an
    overlay, held, for each new national responsibility. Everything else the trust wrote
    stays. Raises EditConflict if the section changed meanwhile, NationalTextMovedOn if the
    national text did; PermissionDenied unless the user may edit.
    """
    pack = section.pack
    pack.check_can_edit(user)
    update = _offered_update(section, expected_revision, national_revision)
    checklist = None
    if section.kind == Section.Kind.CHECKLIST:
        checklist = checklist_rows(section, _adopted_checklist(section, update))
    with transaction.atomic():
        _bump_revision(
            section,
            user,
            expected_revision,
            body=update.after.body,
            national_revision=update.after.revision,
            national_basis=update.after.basis(),
        )
        if checklist is not None:
            section.checklist.all().delete()
            ChecklistItem.objects.bulk_create(checklist)
        if section.kind == Section.Kind.RESPONSIBILITIES:
            held = set(section.overlays.values_list("responsibility_id", flat=True))
            ResponsibilityOverlay.objects.bulk_create(
                ResponsibilityOverlay(section=section, responsibility=responsibility)
                for responsibility in pack.board_role.responsibilities.exclude(pk__in=held)
            )
        pack.record(
            user,
            AuditEvent.Action.SECTION_EDITED,
            f"Adopted the updated national text in “{section.title}”",
        )
    return section


def keep_local_text(
    *, section: Section, user, expected_revision: int, national_revision: str
) -> Section:
    """Decline a national update of a section: its text stays as it is, and the draft records
    that it was checked against the national text of `national_revision`, so the update is
    not offered again (a later national change is). A draft edit, because the version
    published next records that revision. Raises as `adopt_national_update` does."""
    pack = section.pack
    pack.check_can_edit(user)
    update = _offered_update(section, expected_revision, national_revision)
    with transaction.atomic():
        _bump_revision(
            section,
            user,
            expected_revision,
            national_revision=update.after.revision,
            national_basis=update.after.basis(),
        )
        pack.record(
            user,
            AuditEvent.Action.SECTION_EDITED,
            f"Kept the trust's text of “{section.title}” instead of the updated national text",
        )
    return section


# --- the pack as a whole --------------------------------------------------------------------

SETTINGS_FIELDS = ("title", "visibility", "requires_approval", "review_interval_months")

_LIFTING_APPROVAL_REFUSALS = {
    PublishRefusal.NOT_APPROVER: "Only an approver can turn off approval by a second person.",
    PublishRefusal.EDITED_THE_DRAFT: (
        "Another approver must turn off approval by a second person, because you have "
        "edited this draft since the last version was published."
    ),
}


def _setting_words(pack: InductionPack, field: str) -> str:
    """A setting and its new value, for the audit trail ("who can read it: Members only")."""
    if field == "visibility":
        return f"who can read it: {pack.get_visibility_display().split(':')[0]}"
    if field == "requires_approval":
        return "approval by a second person: " + ("on" if pack.requires_approval else "off")
    return f"review interval: {pack.review_interval_months} months"


def update_pack_settings(
    *, pack: InductionPack, user, expected_revision: int, **changes: Any
) -> InductionPack:
    """Change the pack's title, visibility, approval rule or review interval, from a form
    loaded at settings revision `expected_revision`. Returns the pack as saved.

    Pass only the settings the user changed: the others are left as they are now. A stale
    form raises SettingsConflict. Turning the approval rule off needs an approver who edited
    nothing in the draft since the last publication (the four-eyes rule itself, which binds
    platform staff too); otherwise PermissionDenied. Nothing changes on any refusal.
    """
    pack.check_can_edit(user)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected settings: {', '.join(sorted(unknown))}")
    if isinstance(changes.get("title"), str):
        changes["title"] = changes["title"].strip()
    with transaction.atomic():
        locked = (
            InductionPack.objects.select_for_update()
            .select_related("trust", "board_role")
            .get(pk=pack.pk)
        )
        if locked.settings_revision != expected_revision:
            raise SettingsConflict(locked)
        changed = [field for field, value in changes.items() if getattr(locked, field) != value]
        if not changed:
            return locked
        if locked.requires_approval and changes.get("requires_approval") is False:
            refusal = locked.second_person_refusal(user)
            if refusal is not None:
                raise RuleRefused(_LIFTING_APPROVAL_REFUSALS[refusal])
        for field in changed:
            setattr(locked, field, changes[field])
        locked.full_clean(exclude=["trust", "board_role", "last_edited_by"], validate_unique=False)
        locked.settings_revision += 1
        locked.save(update_fields=[*changed, "settings_revision"])
        if "title" in changed:
            # The title is part of what a version freezes, so it is a draft edit as well.
            locked.record(
                user, AuditEvent.Action.TITLE_CHANGED, f"Changed the title to “{locked.title}”"
            )
        others = [field for field in changed if field != "title"]
        if others:
            words = "; ".join(_setting_words(locked, field) for field in others)
            locked.record(user, AuditEvent.Action.SETTINGS_CHANGED, f"Changed {words}")
    return locked


def restore_version(*, version: PackVersion, user) -> None:
    """Copy a published version's content into the draft (the version itself is untouched).

    Responsibilities are matched to today's national list by slug: one the national list no
    longer has is left out, and one added since starts as held.
    """
    pack = version.pack
    pack.check_can_edit(user)
    content = copy.deepcopy(version.content)
    national = set(pack.board_role.responsibilities.values_list("slug", flat=True))
    for section in content.get("sections", []):
        if isinstance(section.get("responsibilities"), list):
            section["responsibilities"] = [
                item for item in section["responsibilities"] if item.get("slug") in national
            ]
    replace_draft(
        pack,
        content,
        user=user,
        action=AuditEvent.Action.RESTORED,
        detail=f"Restored version {version.number} into the draft",
        version=version,
    )
