"""Reading a pack back from its JSON format: validating it, and replacing a draft with it.

`manage.py import_pack` and restoring a published version both come here. Import checks the
same rules as every other draft edit itself: the importer must be an editor of the trust, and
where a second person must approve, the importer must be named, so the four-eyes rule knows
who wrote the draft. The national text in a file is ignored: responsibilities are matched to
today's national ones by `slug`, and only the trust's own choices (status, delegated_to, note)
are taken from the file. A section given as just `{"title", "body"}` is free Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from page_cache import generation
from roles.models import MEDICAL_DIRECTOR_SLUG, Role

from .baseline import carry_national_basis, national_basis_by_title
from .models import (
    AuditEvent,
    ChecklistItem,
    InductionPack,
    PostHolder,
    ResponsibilityOverlay,
    Section,
    new_checklist_key,
    no_invisible_characters,
)
from .safe_markdown import validate_markdown
from .snapshot import FORMAT, ITEM_KEYS, RESPONSIBILITY_KEYS

MAX_SECTIONS = 40
MAX_ITEMS = 200

Kind = Section.Kind
Status = ResponsibilityOverlay.Status

# The keys a section may carry, by kind (export includes all of them; import ignores the
# national ones and the anchor, which follows from the position).
_COMMON_KEYS = {"anchor", "title", "kind", "body"}
_RESPONSIBILITY_KEYS = RESPONSIBILITY_KEYS
_POST_HOLDER_KEYS = {"name", "title", "relation", "contact"}
_CHECKLIST_KEYS = {"key", "category", "text", "due_by_day"}
CHECKLIST_KEY = re.compile(r"[0-9a-f]{32}")
_TOP_KEYS = {"format", "trust", "trust_name", "title", "board_role", "board_role_name", "sections"}


class ImportInvalid(ValidationError):
    """The import data has problems; `.messages` lists every one, each naming where it is."""


class ImporterRequired(PermissionDenied):
    """The pack needs approval by a second person, and nobody was named as the importer."""


class DraftChangedSinceLoaded(ValidationError):
    """The draft was edited after the page asking to replace it was loaded: replacing it now
    would undo a colleague's edit nobody saw. Nothing was replaced."""

    def __init__(self):
        super().__init__(
            "The draft changed while you were deciding, so it was not replaced: someone edited "
            "it after you opened the page. Check the draft as it is now, then try again if "
            "you still want to."
        )


def _choice_error(where: str, value: Any, choices) -> str:
    allowed = ", ".join(str(choice) for choice in choices)
    return f"{where}: must be one of {allowed} (got {value!r})"


def _text_error(where: str, value: Any, *, max_length: int, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        return f"{where}: must be text"
    if required and not value.strip():
        return f"{where}: must not be empty"
    if len(value) > max_length:
        return f"{where}: must be at most {max_length} characters (it has {len(value)})"
    return None


def _title_error(where: str, value: Any) -> str | None:
    """A title or a name: required text, refusing the invisible characters every other path
    refuses in titles and names (models.no_invisible_characters)."""
    error = _text_error(where, value, max_length=200, required=True)
    if error:
        return error
    try:
        no_invisible_characters(value)
    except ValidationError as invalid:
        return f"{where}: {' '.join(invalid.messages)}"
    return None


def _markdown_error(where: str, value: Any) -> str | None:
    if value is None:
        return None
    try:
        validate_markdown(value)
    except ValidationError as error:
        return f"{where}: {' '.join(error.messages)}"
    return None


def _unknown_keys(where: str, item: Mapping, allowed: set[str]) -> list[str]:
    return [
        f"{where}.{key}: is not a field this format knows (check the spelling)"
        for key in sorted(set(item) - allowed)
    ]


def _validate_list(where: str, value: Any) -> tuple[list, list[str]]:
    if not isinstance(value, list):
        return [], [f"{where}: must be a list"]
    if len(value) > MAX_ITEMS:
        return [], [f"{where}: has {len(value)} entries; at most {MAX_ITEMS} are allowed"]
    errors = [
        f"{where}[{i}]: must be an object" for i, v in enumerate(value) if not isinstance(v, dict)
    ]
    return (value if not errors else []), errors


def _validate_responsibilities(where: str, items: list, national_slugs: set[str]) -> list[str]:
    errors = []
    seen = set()
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        errors += _unknown_keys(at, item, _RESPONSIBILITY_KEYS)
        slug = item.get("slug")
        if not isinstance(slug, str) or slug not in national_slugs:
            errors.append(
                f"{at}.slug: {slug!r} is not a national responsibility of this role "
                f"(known: {', '.join(sorted(national_slugs))})"
            )
        elif slug in seen:
            errors.append(f"{at}.slug: {slug!r} appears twice in this section")
        else:
            seen.add(slug)
        status = item.get("status", Status.HELD)
        if status not in Status.values:
            errors.append(_choice_error(f"{at}.status", status, Status.values))
        delegated_to = item.get("delegated_to", "")
        error = _text_error(f"{at}.delegated_to", delegated_to, max_length=200, required=False)
        if error:
            errors.append(error)
        elif status in Status.values:
            errors += [f"{at}.{m}" for m in _overlay_rule_errors(status, delegated_to)]
        errors += filter(None, [_markdown_error(f"{at}.note", item.get("note"))])
    return errors


def _overlay(status: str, delegated_to: str | None, **fields) -> ResponsibilityOverlay:
    """An overlay of the model's own making: its `clean()` owns the rule that a delegated
    responsibility names its post, and that any other keeps none."""
    overlay = ResponsibilityOverlay(status=status, delegated_to=delegated_to or "", **fields)
    overlay.clean()
    return overlay


def _overlay_rule_errors(status: str, delegated_to: str | None) -> list[str]:
    """The model's objections to an overlay, as "field: message" (none if it is valid)."""
    try:
        _overlay(status, delegated_to)
    except ValidationError as error:
        return [f"{field}: {m}" for field, messages in error.message_dict.items() for m in messages]
    return []


def _validate_post_holders(where: str, items: list) -> list[str]:
    errors = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        errors += _unknown_keys(at, item, _POST_HOLDER_KEYS)
        errors += filter(
            None,
            [
                _title_error(f"{at}.name", item.get("name")),
                _title_error(f"{at}.title", item.get("title")),
                _text_error(f"{at}.contact", item.get("contact"), max_length=200, required=False),
            ],
        )
        relation = item.get("relation")
        if relation not in PostHolder.Relation.values:
            errors.append(_choice_error(f"{at}.relation", relation, PostHolder.Relation.values))
    return errors


def _validate_checklist(where: str, items: list) -> list[str]:
    errors = []
    keys_seen = set()
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        errors += _unknown_keys(at, item, _CHECKLIST_KEYS)
        category = item.get("category")
        if category not in ChecklistItem.Category.values:
            errors.append(_choice_error(f"{at}.category", category, ChecklistItem.Category.values))
        error = _text_error(f"{at}.text", item.get("text"), max_length=300, required=True)
        if error:
            errors.append(error)
        key = item.get("key")
        if key is not None and not (isinstance(key, str) and CHECKLIST_KEY.fullmatch(key)):
            errors.append(f"{at}.key: expected 32 lowercase hexadecimal characters, or no key")
        elif key is not None and key in keys_seen:
            errors.append(f"{at}.key: another step in this checklist has the same key")
        keys_seen.add(key)
        due = item.get("due_by_day", ChecklistItem.Timing.DAY_30)
        if isinstance(due, bool) or due not in ChecklistItem.Timing.values:
            errors.append(_choice_error(f"{at}.due_by_day", due, ChecklistItem.Timing.values))
    return errors


def _section_kind(section: Mapping) -> str:
    return section.get("kind", Kind.MARKDOWN)


def _validate_section(where: str, section: Any, national_slugs: set[str]) -> list[str]:
    if not isinstance(section, dict):
        return [f"{where}: must be an object with at least a title"]
    kind = _section_kind(section)
    if kind not in Kind.values:
        return [_choice_error(f"{where}.kind", kind, Kind.values)]
    item_key = ITEM_KEYS.get(kind)
    errors = _unknown_keys(where, section, _COMMON_KEYS | ({item_key} if item_key else set()))
    for other_kind, other_key in ITEM_KEYS.items():
        if other_key in section and other_kind != kind:
            errors = [e for e in errors if not e.startswith(f"{where}.{other_key}:")]
            errors.append(
                f"{where}.{other_key}: only a section of kind {other_kind} has {other_key} "
                f"(this one is {kind})"
            )
    errors += filter(
        None,
        [
            _title_error(f"{where}.title", section.get("title")),
            _markdown_error(f"{where}.body", section.get("body", "")),
        ],
    )
    if item_key and item_key in section and kind != Kind.GLOSSARY:
        items, list_errors = _validate_list(f"{where}.{item_key}", section[item_key])
        errors += list_errors
        if kind == Kind.RESPONSIBILITIES:
            errors += _validate_responsibilities(f"{where}.{item_key}", items, national_slugs)
        elif kind == Kind.PEOPLE:
            errors += _validate_post_holders(f"{where}.{item_key}", items)
        elif kind == Kind.CHECKLIST:
            errors += _validate_checklist(f"{where}.{item_key}", items)
    return errors


def _board_role(data: Mapping, pack: InductionPack | None) -> Role | None:
    if pack is not None:
        return pack.board_role
    return Role.objects.filter(slug=data.get("board_role", MEDICAL_DIRECTOR_SLUG)).first()


# How deep a file may nest lists and objects: the format itself needs four levels.
MAX_DEPTH = 10
# Text no database column can hold faithfully: NUL (PostgreSQL refuses it) and lone UTF-16
# surrogates (not valid Unicode, so not encodable as UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable_text(value: Any, where: str = "(top level)", depth: int = 0) -> list[str]:
    """Problems that would break storing the data at all, each naming where it is: nesting
    deeper than the format has, NUL characters and lone surrogates, in keys or values."""
    if depth > MAX_DEPTH:
        return [f"{where}: is nested more deeply than the format allows"]
    problems = []
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((f"[{index}]", item) for index, item in enumerate(value))
    else:
        items = ()
    for key, item in items:
        at = f"{where}{key}" if str(key).startswith("[") else f"{where}.{key}"
        at = at.removeprefix("(top level).")
        if isinstance(key, str) and _UNSTORABLE.search(key):
            problems.append(f"{where}: has a key with a character that cannot be stored")
        problems += _unstorable_text(item, at, depth + 1)
    if isinstance(value, str) and _UNSTORABLE.search(value):
        problems.append(
            f"{where}: contains a character that cannot be stored (a NUL character or a "
            "broken Unicode surrogate); retype the text or save the file as UTF-8 again"
        )
    return problems


def validate_import(data: Any, *, pack: InductionPack | None = None) -> list[str]:
    """Every problem with import data, each naming where it is, for example
    `sections[3].responsibilities[2].status: must be one of held, delegated, not_applicable`.
    An empty list means the data can be imported. Runs a fixed number of queries."""
    if not isinstance(data, dict):
        return ["The file must hold a JSON object with a list of sections"]
    unreadable = _unstorable_text(data)
    if unreadable:
        # Checked first and alone: the checks below may not even be able to print such text.
        return unreadable
    errors = _unknown_keys("(top level)", data, _TOP_KEYS)
    if pack is not None and "trust" in data and data["trust"] != pack.trust.slug:
        errors.append(
            f"trust: this file is a pack of {data['trust']!r}, not of {pack.trust.slug!r} "
            "(remove the trust key to import it here anyway)"
        )
    if "format" in data and data["format"] != FORMAT:
        errors.append(f"format: must be {FORMAT!r} (got {data['format']!r})")
    if "title" in data:
        errors += filter(None, [_title_error("title", data["title"])])
    role = _board_role(data, pack)
    if role is None:
        errors.append(f"board_role: there is no national role {data.get('board_role')!r}")
        national_slugs: set[str] = set()
    else:
        if pack is not None and "board_role" in data and data["board_role"] != role.slug:
            errors.append(f"board_role: this pack is for {role.slug!r}, not {data['board_role']!r}")
        national_slugs = set(role.responsibilities.values_list("slug", flat=True))
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.append("sections: must be a list with at least one section")
        return errors
    if len(sections) > MAX_SECTIONS:
        errors.append(f"sections: has {len(sections)} sections; at most {MAX_SECTIONS} allowed")
        return errors
    for index, section in enumerate(sections):
        errors += _validate_section(f"sections[{index}]", section, national_slugs)
    return errors


def replace_draft(
    pack: InductionPack,
    data: Mapping[str, Any],
    *,
    user,
    action: str,
    detail: str,
    version=None,
    expected_draft_revision: int | None = None,
) -> None:
    """Replace the draft's sections with valid data (see `validate_import`), in one
    transaction, recording `action` in the audit trail. Import and restore call this after
    checking who may do it.

    `expected_draft_revision` is the draft revision the page asking for this was loaded with
    (a restore's confirmation page): a draft edited since raises DraftChangedSinceLoaded,
    checked under the pack's row lock, and nothing is replaced.
    """
    errors = validate_import(data, pack=pack)
    if errors:
        raise ImportInvalid(errors)
    national = {r.slug: r for r in pack.board_role.responsibilities.all()}
    with transaction.atomic():
        locked = InductionPack.objects.select_for_update().get(pk=pack.pk)
        if expected_draft_revision is not None and expected_draft_revision != (
            locked.draft_revision
        ):
            raise DraftChangedSinceLoaded()
        recorded = national_basis_by_title(locked)
        locked.sections.all().delete()
        for order, section_data in enumerate(data["sections"], start=1):
            _create_section(locked, order, section_data, national, user)
        carry_national_basis(locked, recorded)
        title = data["title"].strip() if "title" in data else locked.title
        if title != locked.title:
            # The title is a setting too: a settings form opened before this is now stale.
            InductionPack.objects.filter(pk=pack.pk).update(
                title=title, settings_revision=F("settings_revision") + 1
            )
            generation.advance()  # public pages show the title; updates send no signal
        locked.record(user, action, detail, version=version)
    pack.refresh_from_db()
    # refresh_from_db keeps cached properties: the caller's pack must see the new draft editor.
    pack.__dict__.pop("draft_editor_ids", None)


def _create_section(pack, order, data, national, user) -> Section:
    kind = _section_kind(data)
    section = Section.objects.create(
        pack=pack,
        kind=kind,
        title=data["title"].strip(),
        body=data.get("body", "") or "",
        order=order,
        updated_by=user,
    )
    if kind == Kind.RESPONSIBILITIES:
        given = {item["slug"]: item for item in data.get("responsibilities") or []}
        # Every national responsibility gets an overlay; those the file leaves out are held.
        ResponsibilityOverlay.objects.bulk_create(
            _overlay(
                given.get(slug, {}).get("status", Status.HELD),
                given.get(slug, {}).get("delegated_to"),
                section=section,
                responsibility=responsibility,
                note=given.get(slug, {}).get("note") or "",
            )
            for slug, responsibility in national.items()
        )
    elif kind == Kind.PEOPLE:
        PostHolder.objects.bulk_create(
            PostHolder(
                section=section,
                name=item["name"].strip(),
                title=item["title"].strip(),
                relation=item["relation"],
                contact=(item.get("contact") or "").strip(),
                order=index,
            )
            for index, item in enumerate(data.get("post_holders") or [], start=1)
        )
    elif kind == Kind.CHECKLIST:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                section=section,
                category=item["category"],
                text=item["text"].strip(),
                due_by_day=item.get("due_by_day", ChecklistItem.Timing.DAY_30),
                order=index,
                # A step keeps the key it was exported with, so inductees' ticks follow it.
                key=item.get("key") or new_checklist_key(),
            )
            for index, item in enumerate(data.get("checklist") or [], start=1)
        )
    return section


def import_draft(pack: InductionPack, data: Mapping[str, Any], *, user) -> None:
    """Replace the pack's draft with the import data, all or nothing, as `user`.

    `user` must be an editor of the trust (PermissionDenied if not). None means the platform
    itself, which is allowed only where no second person must approve: otherwise whoever ran
    the import could publish it themselves (ImporterRequired). Raises ImportInvalid (a
    ValidationError listing every problem) and changes nothing when the data is not valid.
    """
    if user is None:
        if pack.requires_approval:
            raise ImporterRequired(
                f"{pack.trust.name}'s pack needs approval by a second person, so the import "
                "must name the editor who is importing."
            )
    else:
        pack.check_can_edit(user)
    sections = data.get("sections") if isinstance(data, dict) else None
    count = len(sections) if isinstance(sections, list) else 0
    replace_draft(
        pack,
        data,
        user=user,
        action=AuditEvent.Action.IMPORTED,
        detail=f"Imported {count} section{'s' if count != 1 else ''}",
    )
