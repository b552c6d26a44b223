"""Operations on a pack's draft that span several models. Views, admin and commands call these.

Every function is keyword-only, checks that the user may edit the pack (PermissionDenied if
not), validates its input (ValidationError naming the field), and writes an AuditEvent. The
section edits carry the revision the editor started from: a conditional UPDATE … WHERE
revision = expected makes the check race-free, and a stale one raises EditConflict with the
section as it now is, so the second of two editors is told rather than silently overwriting.

Publishing lives in induction/publishing.py (`InductionPack.publish`).
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .markdown import validate_markdown
from .models import (
    AuditEvent,
    ChecklistItem,
    InductionPack,
    PackVersion,
    PostHolder,
    ResponsibilityOverlay,
    Section,
)
from .snapshot import replace_draft

__all__ = [
    "EditConflict",
    "SectionDiff",
    "add_checklist_item",
    "add_post_holder",
    "add_section",
    "compare_versions",
    "move_section",
    "remove_checklist_item",
    "remove_post_holder",
    "remove_section",
    "reorder_sections",
    "restore_version",
    "save_checklist_item",
    "save_overlay",
    "save_post_holder",
    "save_section",
    "update_pack_settings",
]


class EditConflict(Exception):
    """The section changed after the editor opened it. `section` is the current version of it
    (reloaded), so the form can show what is there now beside what the editor typed."""

    def __init__(self, section: Section):
        self.section = section
        super().__init__(
            f"“{section.title}” was changed by someone else while you were editing it. "
            "Your changes have not been saved: compare them with the current text, then "
            "save again."
        )


# --- helpers --------------------------------------------------------------------------------


def _require_editor(pack: InductionPack, user) -> None:
    if not pack.can_edit(user):
        raise PermissionDenied("Only an editor of this trust can change its induction pack.")


def _audit(pack: InductionPack, user, action: str, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        trust_id=pack.trust_id, pack=pack, actor=user, action=action, detail=detail[:500]
    )


def _touch(pack: InductionPack, user) -> None:
    """Record that the draft changed, and who changed it last (the four-eyes rule uses it)."""
    now = timezone.now()
    InductionPack.objects.filter(pk=pack.pk).update(last_edited_by=user, last_edited_at=now)
    pack.last_edited_by, pack.last_edited_at = user, now


def _bump_revision(section: Section, user, expected_revision: int | None, **fields) -> None:
    """Apply `fields` and bump the revision in one conditional UPDATE; EditConflict if the
    revision moved on. `expected_revision=None` skips the check (single-item edits)."""
    rows = Section.objects.filter(pk=section.pk)
    if expected_revision is not None:
        rows = rows.filter(revision=expected_revision)
    now = timezone.now()
    updated = rows.update(revision=F("revision") + 1, updated_at=now, updated_by=user, **fields)
    if not updated:
        current = Section.objects.filter(pk=section.pk).first()
        if current is None:
            raise ValidationError("This section has been removed by someone else.")
        raise EditConflict(current)
    section.refresh_from_db(fields=["revision", "updated_at", "updated_by", *fields])


def _clean(instance, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False)


def _validate_title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": "Enter a title for the section."})
    if len(title.strip()) > 200:
        raise ValidationError({"title": "Shorten the title to 200 characters or fewer."})
    return title.strip()


def _validate_body(body: Any) -> str:
    try:
        validate_markdown(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    return body


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
    _require_editor(pack, user)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _validate_title(title)
    if body is not None:
        changes["body"] = _validate_body(body)
    overlay_rows = _validated_overlays(section, overlays) if overlays is not None else None
    holder_rows = (
        _validated_items(section, post_holders, _post_holder) if post_holders is not None else None
    )
    checklist_rows = (
        _validated_items(section, checklist, _checklist_item) if checklist is not None else None
    )
    with transaction.atomic():
        _bump_revision(section, user, expected_revision, **changes)
        if overlay_rows is not None:
            ResponsibilityOverlay.objects.bulk_update(
                overlay_rows, ["status", "delegated_to", "note"]
            )
        if holder_rows is not None:
            section.post_holders.all().delete()
            PostHolder.objects.bulk_create(holder_rows)
        if checklist_rows is not None:
            section.checklist.all().delete()
            ChecklistItem.objects.bulk_create(checklist_rows)
        _touch(pack, user)
        _audit(pack, user, AuditEvent.Action.SECTION_EDITED, f"Edited “{section.title}”")
    return section


def _validated_overlays(section, overlays) -> list[ResponsibilityOverlay]:
    existing = {
        overlay.pk: overlay for overlay in section.overlays.select_related("responsibility")
    }
    rows = []
    errors = {}
    for overlay_id, values in overlays.items():
        overlay = existing.get(int(overlay_id))
        if overlay is None:
            raise ValidationError("That responsibility is not part of this section.")
        overlay.status = values.get("status", overlay.status)
        overlay.delegated_to = (values.get("delegated_to", overlay.delegated_to) or "").strip()
        overlay.note = values.get("note", overlay.note) or ""
        try:
            _clean_overlay(overlay)
        except ValidationError as error:
            title = overlay.responsibility.title
            errors[f"overlay-{overlay.pk}"] = [f"{title}: {m}" for m in error.messages]
        rows.append(overlay)
    if errors:
        raise ValidationError(errors)
    return rows


def _clean_overlay(overlay: ResponsibilityOverlay) -> None:
    if overlay.status == ResponsibilityOverlay.Status.DELEGATED and not overlay.delegated_to:
        raise ValidationError(
            {"delegated_to": "Enter the post this responsibility is delegated to."}
        )
    if overlay.status != ResponsibilityOverlay.Status.DELEGATED:
        overlay.delegated_to = ""
    _clean(overlay, exclude=["section", "responsibility"])
    try:
        validate_markdown(overlay.note)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None


def _post_holder(section, index, values) -> PostHolder:
    holder = PostHolder(
        section=section,
        name=(values.get("name") or "").strip(),
        title=(values.get("title") or "").strip(),
        relation=values.get("relation") or "",
        contact=(values.get("contact") or "").strip(),
        order=index,
    )
    _clean(holder, exclude=["section"])
    return holder


def _checklist_item(section, index, values) -> ChecklistItem:
    item = ChecklistItem(
        section=section,
        category=values.get("category") or "",
        text=(values.get("text") or "").strip(),
        due_by_day=values.get("due_by_day") or ChecklistItem.Timing.DAY_30,
        order=index,
    )
    _clean(item, exclude=["section"])
    return item


def _validated_items(section, items, build):
    rows, errors = [], {}
    for index, values in enumerate(items, start=1):
        try:
            rows.append(build(section, index, values))
        except ValidationError as error:
            errors[f"item-{index}"] = [f"Row {index}: {m}" for m in error.messages]
    if errors:
        raise ValidationError(errors)
    return rows


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
    _require_editor(pack, user)
    title = _validate_title(title)
    body = _validate_body(body)
    if kind not in Section.Kind.values:
        raise ValidationError({"kind": "Choose what kind of section to add."})
    with transaction.atomic():
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
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
        _touch(pack, user)
        _audit(pack, user, AuditEvent.Action.SECTION_ADDED, f"Added “{title}”")
    section.refresh_from_db()
    return section


def remove_section(*, section: Section, user, expected_revision: int | None = None) -> None:
    """Remove a section from the draft (published versions keep their copy)."""
    pack = section.pack
    _require_editor(pack, user)
    with transaction.atomic():
        rows = Section.objects.filter(pk=section.pk)
        if expected_revision is not None:
            rows = rows.filter(revision=expected_revision)
        deleted, _ = rows.delete()
        if not deleted:
            current = Section.objects.filter(pk=section.pk).first()
            if current is None:
                return
            raise EditConflict(current)
        _renumber(pack, list(pack.sections.values_list("pk", flat=True)))
        _touch(pack, user)
        _audit(pack, user, AuditEvent.Action.SECTION_REMOVED, f"Removed “{section.title}”")


def _renumber(pack: InductionPack, ordered_ids: list[int]) -> None:
    sections = {s.pk: s for s in pack.sections.all()}
    for order, pk in enumerate(ordered_ids, start=1):
        sections[pk].order = order
    Section.objects.bulk_update(sections.values(), ["order"])


def move_section(*, section: Section, user, direction: Literal["up", "down"]) -> None:
    """Move a section one place up or down; at either end it stays where it is."""
    pack = section.pack
    _require_editor(pack, user)
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the section up or down.")
    with transaction.atomic():
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
        ids = list(pack.sections.values_list("pk", flat=True))
        index = ids.index(section.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(ids):
            ids[index], ids[target] = ids[target], ids[index]
        _renumber(pack, ids)
        _touch(pack, user)
        _audit(
            pack,
            user,
            AuditEvent.Action.SECTIONS_REORDERED,
            f"Moved “{section.title}” {direction}",
        )


def reorder_sections(*, pack: InductionPack, user, section_ids: list[int]) -> None:
    """Put the sections in the given order; the list must name every section exactly once."""
    _require_editor(pack, user)
    with transaction.atomic():
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
        current = set(pack.sections.values_list("pk", flat=True))
        if len(section_ids) != len(current) or set(section_ids) != current:
            raise ValidationError(
                "The sections changed while you were reordering them. Reload and try again."
            )
        _renumber(pack, list(section_ids))
        _touch(pack, user)
        _audit(pack, user, AuditEvent.Action.SECTIONS_REORDERED, "Reordered the sections")


# --- items within a section -----------------------------------------------------------------
# Each single-item edit bumps the section's revision, so a form for the whole section opened
# before it is told the section changed.


def _item_edit(section: Section, user, expected_revision, detail: str) -> None:
    _bump_revision(section, user, expected_revision)
    _touch(section.pack, user)
    _audit(section.pack, user, AuditEvent.Action.SECTION_EDITED, detail)


def save_overlay(
    *,
    overlay: ResponsibilityOverlay,
    user,
    status: str,
    delegated_to: str = "",
    note: str = "",
    expected_revision: int | None = None,
) -> ResponsibilityOverlay:
    """Say how one national responsibility is held in this trust."""
    section = overlay.section
    _require_editor(section.pack, user)
    overlay.status, overlay.delegated_to, overlay.note = status, (delegated_to or "").strip(), note
    _clean_overlay(overlay)
    with transaction.atomic():
        overlay.save(update_fields=["status", "delegated_to", "note"])
        _item_edit(
            section,
            user,
            expected_revision,
            f"“{section.title}”: {overlay.responsibility.title} – {overlay.get_status_display()}",
        )
    return overlay


def add_post_holder(
    *, section: Section, user, name: str, title: str, relation: str, contact: str = ""
) -> PostHolder:
    """Add a local post-holder to a people section (feeds the reporting-lines diagram)."""
    _require_editor(section.pack, user)
    last = section.post_holders.aggregate(highest=Max("order"))["highest"] or 0
    holder = _post_holder(
        section, last + 1, {"name": name, "title": title, "relation": relation, "contact": contact}
    )
    with transaction.atomic():
        holder.save()
        _item_edit(section, user, None, f"“{section.title}”: added {holder}")
    return holder


def save_post_holder(*, post_holder: PostHolder, user, **changes: str) -> PostHolder:
    """Change a post-holder's name, title, relation or contact."""
    section = post_holder.section
    _require_editor(section.pack, user)
    allowed = {"name", "title", "relation", "contact"}
    if set(changes) - allowed:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(set(changes) - allowed))}")
    for field, value in changes.items():
        setattr(post_holder, field, (value or "").strip())
    _clean(post_holder, exclude=["section"])
    with transaction.atomic():
        post_holder.save()
        _item_edit(section, user, None, f"“{section.title}”: changed {post_holder}")
    return post_holder


def remove_post_holder(*, post_holder: PostHolder, user) -> None:
    section = post_holder.section
    _require_editor(section.pack, user)
    with transaction.atomic():
        post_holder.delete()
        _item_edit(section, user, None, f"“{section.title}”: removed {post_holder}")


def add_checklist_item(
    *, section: Section, user, category: str, text: str, due_by_day: int
) -> ChecklistItem:
    """Add a step to a first-100-days checklist."""
    _require_editor(section.pack, user)
    last = section.checklist.aggregate(highest=Max("order"))["highest"] or 0
    item = _checklist_item(
        section, last + 1, {"category": category, "text": text, "due_by_day": due_by_day}
    )
    with transaction.atomic():
        item.save()
        _item_edit(section, user, None, f"“{section.title}”: added “{item.text}”")
    return item


def save_checklist_item(*, item: ChecklistItem, user, **changes: Any) -> ChecklistItem:
    """Change a checklist step's category, text or timing."""
    section = item.section
    _require_editor(section.pack, user)
    allowed = {"category", "text", "due_by_day"}
    if set(changes) - allowed:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(set(changes) - allowed))}")
    for field, value in changes.items():
        setattr(item, field, value.strip() if isinstance(value, str) else value)
    _clean(item, exclude=["section"])
    with transaction.atomic():
        item.save()
        _item_edit(section, user, None, f"“{section.title}”: changed “{item.text}”")
    return item


def remove_checklist_item(*, item: ChecklistItem, user) -> None:
    section = item.section
    _require_editor(section.pack, user)
    with transaction.atomic():
        item.delete()
        _item_edit(section, user, None, f"“{section.title}”: removed “{item.text}”")


# --- the pack as a whole --------------------------------------------------------------------

SETTINGS_FIELDS = ("title", "visibility", "requires_approval", "review_interval_months")


def _require_second_person_to_lift_approval(pack: InductionPack, user) -> None:
    """PermissionDenied unless the user may turn off the pack's approval rule."""
    if user.is_staff:  # platform staff act for the platform, not as one of the trust's pair
        return
    if not pack.can_approve(user):
        raise PermissionDenied("Only an approver can turn off approval by a second person.")
    if pack.last_edited_by_id is not None and pack.last_edited_by_id == user.pk:
        raise PermissionDenied(
            "Another approver must turn off approval by a second person, because you made "
            "the last edit to this draft."
        )


def update_pack_settings(*, pack: InductionPack, user, **changes: Any) -> InductionPack:
    """Change the pack's title, visibility, approval rule or review interval.

    Turning the approval rule off needs platform staff, or an approver of the trust who is
    not the draft's last editor: otherwise the last editor could remove the second pair of
    eyes and then publish their own work. A refusal raises PermissionDenied, with a message
    for the user, and changes nothing.
    """
    _require_editor(pack, user)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected settings: {', '.join(sorted(unknown))}")
    turning_off = pack.requires_approval and not changes.get("requires_approval", True)
    if turning_off:
        _require_second_person_to_lift_approval(pack, user)
    changed = [field for field, value in changes.items() if getattr(pack, field) != value]
    if not changed:
        return pack
    for field in changed:
        setattr(pack, field, changes[field].strip() if field == "title" else changes[field])
    pack.full_clean(exclude=["trust", "board_role", "last_edited_by"], validate_unique=False)
    if not 1 <= pack.review_interval_months <= 36:
        raise ValidationError(
            {"review_interval_months": "Enter a review interval from 1 to 36 months."}
        )
    with transaction.atomic():
        pack.save(update_fields=changed)
        if "title" in changed:
            # The title is part of what a version freezes, so it counts as a draft edit.
            _touch(pack, user)
        labels = [str(InductionPack._meta.get_field(field).verbose_name) for field in changed]
        _audit(pack, user, AuditEvent.Action.SETTINGS_CHANGED, "Changed " + ", ".join(labels))
    return pack


def restore_version(*, version: PackVersion, user) -> None:
    """Copy a published version's content into the draft (the version itself is untouched).

    Responsibilities are matched to today's national list by slug: one the national list no
    longer has is left out, and one added since starts as held.
    """
    pack = version.pack
    _require_editor(pack, user)
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


# --- comparing versions ---------------------------------------------------------------------


@dataclass(frozen=True)
class SectionDiff:
    """One section of a comparison. `status` is added, removed, changed or unchanged;
    `html` is the section's text with insertions in `<ins>` and deletions in `<del>`, escaped."""

    title: str
    old_title: str | None
    new_title: str | None
    status: str
    html: SafeString

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


_LABELS = {
    "held": "held by the Medical Director",
    "delegated": "delegated",
    "not_applicable": "does not apply",
}


def _section_text(section: Mapping[str, Any]) -> str:
    """A section as plain lines of text, for comparison."""
    lines = [section.get("body", "")]
    for item in section.get("responsibilities") or []:
        line = f"{item.get('title', item.get('slug'))}: {_LABELS.get(item.get('status'), '')}"
        if item.get("delegated_to"):
            line += f" to {item['delegated_to']}"
        if item.get("note"):
            line += f". {item['note']}"
        lines.append(line)
    for holder in section.get("post_holders") or []:
        contact = f", {holder['contact']}" if holder.get("contact") else ""
        lines.append(f"{holder.get('title')}: {holder.get('name')}{contact}")
    for item in section.get("checklist") or []:
        lines.append(f"Day {item.get('due_by_day')}, {item.get('category')}: {item.get('text')}")
    for entry in section.get("glossary") or []:
        lines.append(f"{entry.get('abbreviation')}: {entry.get('term')}")
    return "\n".join(line for line in lines if line)


_TOKEN = re.compile(r"\s+|[^\s]+")


def _diff_html(old: str, new: str) -> SafeString:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            parts.append(escape(added))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>\n"))


def compare_versions(old: PackVersion | Mapping, new: PackVersion | Mapping) -> list[SectionDiff]:
    """Compare two versions (or snapshots) section by section, in the new version's order
    with removed sections where they were. Sections are paired by title; a renamed section
    in the same place is paired as changed."""
    old_sections = (old.content if isinstance(old, PackVersion) else old).get("sections", [])
    new_sections = (new.content if isinstance(new, PackVersion) else new).get("sections", [])
    matcher = difflib.SequenceMatcher(
        None,
        [s.get("title", "") for s in old_sections],
        [s.get("title", "") for s in new_sections],
        autojunk=False,
    )
    diffs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old_sections[i1:i2], new_sections[j1:j2]
        if tag == "replace" and len(olds) == len(news):
            pairs = list(zip(olds, news, strict=True))
        elif tag == "equal":
            pairs = list(zip(olds, news, strict=True))
        else:
            pairs = [(section, None) for section in olds] + [(None, section) for section in news]
        for before, after in pairs:
            diffs.append(_section_diff(before, after))
    return diffs


def _section_diff(before, after) -> SectionDiff:
    old_text = _section_text(before) if before else ""
    new_text = _section_text(after) if after else ""
    old_title = before.get("title") if before else None
    new_title = after.get("title") if after else None
    if before is None:
        status = "added"
    elif after is None:
        status = "removed"
    elif old_text == new_text and old_title == new_title:
        status = "unchanged"
    else:
        status = "changed"
    return SectionDiff(
        title=new_title if new_title is not None else old_title,
        old_title=old_title,
        new_title=new_title,
        status=status,
        html=_diff_html(old_text, new_text),
    )
