"""The pack as data: the frozen snapshot, its HTML, and the import/export format.

One JSON shape serves three purposes: a published version's frozen `content`, the output of
`manage.py export_pack`, and the input of `manage.py import_pack` (and of restoring a version):

    {"format": "mdportal.induction-pack/1", "trust": "northshire", "trust_name": "...",
     "title": "...", "board_role": "medical-director", "board_role_name": "Medical Director",
     "sections": [{"anchor": "section-1", "title": "...", "kind": "markdown", "body": "..."},
                  {"kind": "responsibilities", "responsibilities": [{"slug", "title",
                   "description", "kind", "status", "delegated_to", "note", "citations"}]},
                  {"kind": "people", "post_holders": [{"name", "title", "relation", "contact"}]},
                  {"kind": "checklist", "checklist": [{"category", "text", "due_by_day"}]},
                  {"kind": "glossary", "glossary": [{"abbreviation", "term", "definition"}]}]}

A snapshot freezes the national text as it stood (responsibility titles, descriptions and
citations; glossary terms). On import the national text in a file is ignored: responsibilities
are matched to today's national ones by `slug`, and only the trust's own choices (status,
delegated_to, note) are taken from the file. A section given as just `{"title", "body"}` is a
free Markdown section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from roles.diagrams import Edge, Node, render_svg
from roles.models import Citation, GlossaryTerm, Responsibility, Role

from .markdown import render_markdown, validate_markdown
from .models import (
    AuditEvent,
    ChecklistItem,
    InductionPack,
    PostHolder,
    ResponsibilityOverlay,
    Section,
)

FORMAT = "mdportal.induction-pack/1"
MAX_SECTIONS = 40
MAX_ITEMS = 200

Kind = Section.Kind
Status = ResponsibilityOverlay.Status

# The keys a section may carry, by kind (export includes all of them; import ignores the
# national ones and the anchor, which follows from the position).
_COMMON_KEYS = {"anchor", "title", "kind", "body"}
_ITEM_KEYS = {
    Kind.RESPONSIBILITIES: "responsibilities",
    Kind.PEOPLE: "post_holders",
    Kind.CHECKLIST: "checklist",
    Kind.GLOSSARY: "glossary",
}
_RESPONSIBILITY_KEYS = {
    "slug", "title", "description", "kind", "status", "delegated_to", "note", "citations",
}  # fmt: skip
_POST_HOLDER_KEYS = {"name", "title", "relation", "contact"}
_CHECKLIST_KEYS = {"category", "text", "due_by_day"}
_GLOSSARY_KEYS = {"abbreviation", "term", "definition"}
_TOP_KEYS = {"format", "trust", "trust_name", "title", "board_role", "board_role_name", "sections"}


class ImportInvalid(ValidationError):
    """The import data has problems; `.messages` lists every one, each naming where it is."""


# --- Snapshot -------------------------------------------------------------------------------


def _draft_sections(pack: InductionPack):
    citations = Prefetch("citations", queryset=Citation.objects.select_related("source"))
    overlays = Prefetch(
        "overlays",
        queryset=ResponsibilityOverlay.objects.select_related("responsibility").prefetch_related(
            Prefetch("responsibility__citations", queryset=citations.queryset)
        ),
    )
    return pack.sections.prefetch_related(overlays, "post_holders", "checklist")


def snapshot_draft(pack: InductionPack) -> dict[str, Any]:
    """The pack's draft as plain data, with the national text as it stands now.

    A fixed number of queries, whatever the number of sections or items.
    """
    sections = list(_draft_sections(pack))
    glossary = None
    if any(section.kind == Kind.GLOSSARY for section in sections):
        glossary = [
            {"abbreviation": term.abbreviation, "term": term.term, "definition": term.definition}
            for term in GlossaryTerm.objects.order_by("abbreviation")
        ]
    data_sections = []
    for position, section in enumerate(sections, start=1):
        entry: dict[str, Any] = {
            "anchor": f"section-{position}",
            "title": section.title,
            "kind": section.kind,
            "body": section.body,
        }
        if section.kind == Kind.RESPONSIBILITIES:
            entry["responsibilities"] = [
                _responsibility_data(overlay) for overlay in _ordered_overlays(section)
            ]
        elif section.kind == Kind.PEOPLE:
            entry["post_holders"] = [
                {
                    "name": holder.name,
                    "title": holder.title,
                    "relation": holder.relation,
                    "contact": holder.contact,
                }
                for holder in section.post_holders.all()
            ]
        elif section.kind == Kind.CHECKLIST:
            entry["checklist"] = [
                {"category": item.category, "text": item.text, "due_by_day": item.due_by_day}
                for item in section.checklist.all()
            ]
        elif section.kind == Kind.GLOSSARY:
            entry["glossary"] = glossary
        data_sections.append(entry)
    return {
        "format": FORMAT,
        "trust": pack.trust.slug,
        "trust_name": pack.trust.name,
        "title": pack.title,
        "board_role": pack.board_role.slug,
        "board_role_name": pack.board_role.name,
        "sections": data_sections,
    }


def _ordered_overlays(section: Section) -> list[ResponsibilityOverlay]:
    # Core responsibilities first, then the commonly delegated ones, each in national order.
    kind_rank = {Responsibility.Kind.CORE: 0, Responsibility.Kind.DELEGATED: 1}
    return sorted(
        section.overlays.all(),
        key=lambda o: (kind_rank.get(o.responsibility.kind, 2), o.responsibility.order, o.pk),
    )


def _responsibility_data(overlay: ResponsibilityOverlay) -> dict[str, Any]:
    national = overlay.responsibility
    return {
        "slug": national.slug,
        "title": national.title,
        "description": national.description,
        "kind": national.kind,
        "status": overlay.status,
        "delegated_to": overlay.delegated_to,
        "note": overlay.note,
        "citations": citation_labels(national.citations.all()),
    }


def citation_labels(citations) -> list[str]:
    """One label per citation, without repeats: "GGI 4.1.2" for the paper itself, and
    "GGI 4.1.2; NHS Confederation 2009, p2" for a source it cites (the paragraph of the
    paper, then the source and page). Citations must have their source loaded."""
    labels = []
    for citation in citations:
        if citation.source.is_primary:
            label = f"GGI {citation.paragraph}"
        else:
            label = str(citation)
        if label not in labels:
            labels.append(label)
    # A paper paragraph already named with an underlying source need not stand alone too.
    return [
        label
        for label in labels
        if not (";" not in label and any(other.startswith(f"{label};") for other in labels))
    ]


# --- HTML -----------------------------------------------------------------------------------

STATUS_TAGS = {
    Status.HELD: ("Held by the Medical Director", "nhsuk-tag--green"),
    Status.DELEGATED: ("Delegated", "nhsuk-tag--blue"),
    Status.NOT_APPLICABLE: ("Does not apply here", "nhsuk-tag--grey"),
}
RESPONSIBILITY_GROUPS = [
    (Responsibility.Kind.CORE, "Core responsibilities, part of the role in every trust"),
    (Responsibility.Kind.DELEGATED, "Responsibilities that are often delegated"),
]
RELATION_LABELS = {
    PostHolder.Relation.REPORTS_TO: "The Medical Director reports to them",
    PostHolder.Relation.REPORTS_TO_MD: "Reports to the Medical Director",
    PostHolder.Relation.WORKS_WITH: "Works closely with the Medical Director",
}
CATEGORY_LABELS = dict(ChecklistItem.Category.choices)
TIMING_LABELS = dict(ChecklistItem.Timing.choices)


def _responsibilities_context(items: list[dict]) -> list[dict]:
    groups = []
    for kind, caption in RESPONSIBILITY_GROUPS:
        rows = []
        for item in items:
            if item.get("kind", Responsibility.Kind.CORE) != kind:
                continue
            label, modifier = STATUS_TAGS.get(item.get("status"), (item.get("status", ""), ""))
            rows.append(
                {
                    **item,
                    "status_label": label,
                    "status_class": modifier,
                    "note_html": mark_safe(render_markdown(item.get("note", ""), base_level=4)),
                }
            )
        if rows:
            groups.append({"caption": caption, "rows": rows})
    return groups


def _people_context(section: Mapping, board_role_name: str) -> dict:
    holders = section.get("post_holders") or []
    nodes = [Node("md", board_role_name)]
    edges = []
    rows = []
    for index, given in enumerate(holders, start=1):
        holder = {"name": "", "title": "", "relation": "", "contact": "", **given}
        key = f"post-{index}"
        nodes.append(Node(key, holder["title"], holder["name"]))
        if holder["relation"] == PostHolder.Relation.REPORTS_TO:
            edges.append(Edge("md", key, "line"))
        elif holder["relation"] == PostHolder.Relation.REPORTS_TO_MD:
            edges.append(Edge(key, "md", "line"))
        # Close working relationships have no line: the diagram places those posts beside
        # the Medical Director, and the list above the diagram says so in words.
        contact = holder["contact"] or ""
        rows.append(
            {
                **holder,
                "relation_label": RELATION_LABELS.get(holder["relation"], holder["relation"]),
                "contact_is_email": "@" in contact and " " not in contact.strip(),
            }
        )
    diagram = None
    if holders:
        diagram = render_svg(
            nodes,
            edges,
            title=f"Local reporting lines of the {board_role_name}",
            description=(
                f"Posts the {board_role_name} reports to are above, posts reporting to the "
                f"{board_role_name} below, and close colleagues beside. The list of posts "
                "before this diagram gives the same information in words."
            ),
            centre="md",
            id_prefix=f"{section['anchor']}__diagram",
        )
    return {"rows": rows, "diagram": diagram}


def _checklist_context(items: list[dict]) -> list[dict]:
    """Steps grouped by timing; within a timing, people first, then papers, then training."""
    category_rank = {category: rank for rank, category in enumerate(CATEGORY_LABELS)}
    groups = []
    for timing, label in TIMING_LABELS.items():
        entries = sorted(
            (
                {**item, "category_label": CATEGORY_LABELS.get(item.get("category"), "")}
                for item in items
                if item.get("due_by_day") == timing and item.get("text")
            ),
            key=lambda entry: category_rank.get(entry.get("category"), len(category_rank)),
        )
        if entries:
            groups.append({"label": label, "items": entries})
    return groups


def render_snapshot_html(content: Mapping[str, Any]) -> SafeString:
    """The pack body as HTML: one `<section class="app-pack-section" id="{anchor}">` with an
    `<h2>` per section, Markdown sanitised, and no page chrome, so that the reading view and
    the PDF share it."""
    board_role_name = content.get("board_role_name") or "Medical Director"
    sections = []
    for section in content.get("sections", []):
        anchor = section.get("anchor") or f"section-{len(sections) + 1}"
        kind = section.get("kind", Kind.MARKDOWN)
        entry = {
            "anchor": anchor,
            "title": section.get("title", ""),
            "kind": kind,
            "body_html": mark_safe(
                render_markdown(section.get("body", ""), id_prefix=f"{anchor}-")
            ),
        }
        if kind == Kind.RESPONSIBILITIES:
            entry["responsibility_groups"] = _responsibilities_context(
                section.get("responsibilities") or []
            )
        elif kind == Kind.PEOPLE:
            entry["people"] = _people_context({**section, "anchor": anchor}, board_role_name)
        elif kind == Kind.CHECKLIST:
            entry["checklist_groups"] = _checklist_context(section.get("checklist") or [])
        elif kind == Kind.GLOSSARY:
            entry["glossary"] = section.get("glossary") or []
        sections.append(entry)
    html = render_to_string(
        "induction/partials/pack_body.html",
        {"sections": sections, "board_role_name": board_role_name},
    )
    return mark_safe(html)


def contents(content: Mapping[str, Any]) -> list[dict[str, str]]:
    """The contents list of a snapshot: `[{"anchor", "title"}]` in order."""
    return [
        {"anchor": section.get("anchor", ""), "title": section.get("title", "")}
        for section in content.get("sections", [])
    ]


# --- Import ---------------------------------------------------------------------------------


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
        seen.add(slug)
        status = item.get("status", Status.HELD)
        if status not in Status.values:
            errors.append(_choice_error(f"{at}.status", status, Status.values))
        delegated_to = item.get("delegated_to", "")
        error = _text_error(f"{at}.delegated_to", delegated_to, max_length=200, required=False)
        if error:
            errors.append(error)
        elif status == Status.DELEGATED and not (delegated_to or "").strip():
            errors.append(f"{at}.delegated_to: name the post it is delegated to")
        errors += filter(None, [_markdown_error(f"{at}.note", item.get("note"))])
    return errors


def _validate_post_holders(where: str, items: list) -> list[str]:
    errors = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        errors += _unknown_keys(at, item, _POST_HOLDER_KEYS)
        errors += filter(
            None,
            [
                _text_error(f"{at}.name", item.get("name"), max_length=200, required=True),
                _text_error(f"{at}.title", item.get("title"), max_length=200, required=True),
                _text_error(f"{at}.contact", item.get("contact"), max_length=200, required=False),
            ],
        )
        relation = item.get("relation")
        if relation not in PostHolder.Relation.values:
            errors.append(_choice_error(f"{at}.relation", relation, PostHolder.Relation.values))
    return errors


def _validate_checklist(where: str, items: list) -> list[str]:
    errors = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        errors += _unknown_keys(at, item, _CHECKLIST_KEYS)
        category = item.get("category")
        if category not in ChecklistItem.Category.values:
            errors.append(_choice_error(f"{at}.category", category, ChecklistItem.Category.values))
        error = _text_error(f"{at}.text", item.get("text"), max_length=300, required=True)
        if error:
            errors.append(error)
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
    item_key = _ITEM_KEYS.get(kind)
    errors = _unknown_keys(where, section, _COMMON_KEYS | ({item_key} if item_key else set()))
    for other_kind, other_key in _ITEM_KEYS.items():
        if other_key in section and other_kind != kind:
            errors = [e for e in errors if not e.startswith(f"{where}.{other_key}:")]
            errors.append(
                f"{where}.{other_key}: only a section of kind {other_kind} has {other_key} "
                f"(this one is {kind})"
            )
    errors += filter(
        None,
        [
            _text_error(f"{where}.title", section.get("title"), max_length=200, required=True),
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
    return Role.objects.filter(slug=data.get("board_role", "medical-director")).first()


def validate_import(data: Any, *, pack: InductionPack | None = None) -> list[str]:
    """Every problem with import data, each naming where it is, for example
    `sections[3].responsibilities[2].status: must be one of held, delegated, not_applicable`.
    An empty list means the data can be imported. Runs a fixed number of queries."""
    if not isinstance(data, dict):
        return ["The file must hold a JSON object with a list of sections"]
    errors = _unknown_keys("(top level)", data, _TOP_KEYS)
    if "format" in data and data["format"] != FORMAT:
        errors.append(f"format: must be {FORMAT!r} (got {data['format']!r})")
    if "title" in data:
        errors += filter(None, [_text_error("title", data["title"], max_length=200, required=True)])
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
    pack: InductionPack, data: Mapping[str, Any], *, user, action: str, detail: str, version=None
) -> None:
    """Replace the draft's sections with valid data (see `validate_import`), in one
    transaction, recording `action` in the audit trail. Used by import and restore."""
    errors = validate_import(data, pack=pack)
    if errors:
        raise ImportInvalid(errors)
    national = {r.slug: r for r in pack.board_role.responsibilities.all()}
    with transaction.atomic():
        pack = InductionPack.objects.select_for_update().get(pk=pack.pk)
        pack.sections.all().delete()
        for order, section_data in enumerate(data["sections"], start=1):
            _create_section(pack, order, section_data, national, user)
        if "title" in data:
            pack.title = data["title"].strip()
        pack.last_edited_by = user
        pack.last_edited_at = timezone.now()
        pack.save(update_fields=["title", "last_edited_by", "last_edited_at"])
        AuditEvent.objects.create(
            trust=pack.trust,
            pack=pack,
            actor=user,
            action=action,
            detail=detail[:500],
            version=version,
        )


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
            ResponsibilityOverlay(
                section=section,
                responsibility=responsibility,
                status=given.get(slug, {}).get("status", Status.HELD),
                delegated_to=(given.get(slug, {}).get("delegated_to") or "").strip(),
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
            )
            for index, item in enumerate(data.get("checklist") or [], start=1)
        )
    return section


def apply_import(pack: InductionPack, data: Mapping[str, Any], *, user=None) -> None:
    """Replace the pack's draft with the import data, all or nothing.

    Raises ImportInvalid (a ValidationError listing every problem) and changes nothing when
    the data is not valid. `user` is who imported it; None for a command run by the platform.
    """
    sections = data.get("sections") if isinstance(data, dict) else None
    count = len(sections) if isinstance(sections, list) else 0
    replace_draft(
        pack,
        data,
        user=user,
        action=AuditEvent.Action.IMPORTED,
        detail=f"Imported {count} section{'s' if count != 1 else ''}",
    )
