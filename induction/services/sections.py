"""A section's own content edited: its title, text and lists, saved as one draft revision.

Also what every draft edit of a section shares: the conditional UPDATE that makes a stale edit
an `EditConflict`, and the checks on a title and a text. The lists (overlays, post-holders,
checklist steps) are turned into unsaved rows validated by the models' own rules: the save
stores them, and the editor's preview shows them without saving.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import (
    AuditEvent,
    ChecklistItem,
    PostHolder,
    ResponsibilityOverlay,
    Section,
    new_checklist_key,
    no_invisible_characters,
)
from ..pictures import check_pictures_are_the_trust_s
from ..safe_markdown import validate_markdown
from ..snapshot import overlay_relations


class EditConflict(Exception):
    """The section changed after the editor opened it. `section` is the current version of it
    (reloaded), so the form can show what is there now beside what the editor typed."""

    def __init__(self, section: Section):
        self.section = section
        super().__init__(
            f"“{section.title}” was changed while you were editing it. Your changes have not "
            "been saved: compare them with the current text, then save again."
        )


# --- what every edit of a section shares -----------------------------------------------------


def bump_revision(section: Section, user, expected_revision: int, **fields) -> None:
    """Apply `fields` and bump the revision in one conditional UPDATE; EditConflict if the
    revision moved on."""
    now = timezone.now()
    updated = Section.objects.filter(pk=section.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_at=now, updated_by=user, **fields
    )
    if not updated:
        raise_conflict(section)
    section.refresh_from_db(fields=["revision", "updated_at", "updated_by", *fields])


def raise_conflict(section: Section):
    """Raise EditConflict with the section as it is now, or ValidationError if it is gone."""
    current = Section.objects.select_related("updated_by").filter(pk=section.pk).first()
    if current is None:
        raise ValidationError("This section has been removed by someone else.")
    raise EditConflict(current)


def validated_title(title: Any) -> str:
    """A section's title, stripped; ValidationError on the "title" field if it will not do."""
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": "Enter a title for the section."})
    if len(title.strip()) > 200:
        raise ValidationError({"title": "Shorten the title to 200 characters or fewer."})
    try:
        no_invisible_characters(title)
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from None
    return title.strip()


def validated_body(body: Any) -> str:
    """A section's Markdown text as given; ValidationError on the "body" field if unsafe."""
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


# --- the save -------------------------------------------------------------------------------


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
        changes["title"] = validated_title(title)
    if body is not None:
        changes["body"] = validated_body(body)
    overlay_rows = overlays_with_changes(section, overlays) if overlays is not None else None
    holder_rows = post_holder_rows(section, post_holders) if post_holders is not None else None
    checklist_items = checklist_rows(section, checklist) if checklist is not None else None
    _check_pictures(pack, changes.get("body"), overlay_rows)
    with transaction.atomic():
        bump_revision(section, user, expected_revision, **changes)
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
