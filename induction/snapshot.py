"""The pack as data: the one owner of the pack JSON format.

One JSON shape serves three purposes: a published version's frozen `content`, the output of
`manage.py export_pack`, and the input of `manage.py import_pack` and of restoring a version
(induction/importing.py reads it back):

    {"format": "mdportal.induction-pack/1", "trust": "northshire", "trust_name": "...",
     "title": "...", "board_role": "medical-director", "board_role_name": "Medical Director",
     "sections": [{"anchor": "section-1", "title": "...", "kind": "markdown", "body": "..."},
                  {"kind": "responsibilities", "responsibilities": [{"slug", "title",
                   "description", "kind", "status", "delegated_to", "note", "citations"}]},
                  {"kind": "people", "post_holders": [{"name", "title", "relation", "contact"}]},
                  {"kind": "checklist", "checklist": [{"category", "text", "due_by_day"}]},
                  {"kind": "glossary", "glossary": [{"abbreviation", "term", "definition"}]}]}

A snapshot freezes the national text as it stood (responsibility titles, descriptions and
citations; glossary terms). Every section, whether of the draft being published or of an
editor's unsaved preview, is made by `section_snapshot`, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Prefetch

from roles.citing import citation_parts
from roles.models import Citation, GlossaryTerm, Responsibility

from .models import ChecklistItem, InductionPack, PostHolder, ResponsibilityOverlay, Section

FORMAT = "mdportal.induction-pack/1"

Kind = Section.Kind

# The key that holds a section's list, by kind.
ITEM_KEYS = {
    Kind.RESPONSIBILITIES: "responsibilities",
    Kind.PEOPLE: "post_holders",
    Kind.CHECKLIST: "checklist",
    Kind.GLOSSARY: "glossary",
}


def citation_labels(citations: Iterable[Citation]) -> list[str]:
    """The parts of a citation line as the explainer shows them ("GGI paper 4.1.2, 4.1.3",
    "Monitor 2014, p3"), so a pack and the explainer cite alike. Sources must be loaded."""
    return [part.label for part in citation_parts(citations)]


def national_glossary() -> list[dict[str, str]]:
    """The national glossary as a snapshot freezes it."""
    return [
        {"abbreviation": term.abbreviation, "term": term.term, "definition": term.definition}
        for term in GlossaryTerm.objects.order_by("abbreviation")
    ]


def _ordered_overlays(overlays: Iterable[ResponsibilityOverlay]) -> list[ResponsibilityOverlay]:
    # Core responsibilities first, then the commonly delegated ones, each in national order.
    kind_rank = {Responsibility.Kind.CORE: 0, Responsibility.Kind.DELEGATED: 1}
    return sorted(
        overlays,
        key=lambda o: (kind_rank.get(o.responsibility.kind, 2), o.responsibility.order, o.pk or 0),
    )


def _responsibility(overlay: ResponsibilityOverlay) -> dict[str, Any]:
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


def _post_holder(holder: PostHolder) -> dict[str, str]:
    return {
        "name": holder.name,
        "title": holder.title,
        "relation": holder.relation,
        "contact": holder.contact,
    }


def _checklist_item(item: ChecklistItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "category": item.category,
        "text": item.text,
        "due_by_day": item.due_by_day,
    }


def section_snapshot(
    section: Section,
    *,
    position: int,
    overlays: Iterable[ResponsibilityOverlay] = (),
    post_holders: Iterable[PostHolder] = (),
    checklist: Iterable[ChecklistItem] = (),
    glossary: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """One section as plain data. The lists are passed in, saved or not, so that a draft and
    an editor's unsaved preview are frozen by the same code. Overlays need their national
    responsibility and its citations (with sources) loaded."""
    entry: dict[str, Any] = {
        "anchor": f"section-{position}",
        "title": section.title,
        "kind": section.kind,
        "body": section.body,
    }
    if section.kind == Kind.RESPONSIBILITIES:
        entry["responsibilities"] = [_responsibility(o) for o in _ordered_overlays(overlays)]
    elif section.kind == Kind.PEOPLE:
        entry["post_holders"] = [_post_holder(holder) for holder in post_holders]
    elif section.kind == Kind.CHECKLIST:
        entry["checklist"] = [_checklist_item(item) for item in checklist]
    elif section.kind == Kind.GLOSSARY:
        entry["glossary"] = glossary if glossary is not None else national_glossary()
    return entry


def draft_sections(pack: InductionPack):
    """The draft's sections with everything `section_snapshot` reads, in a fixed number of
    queries."""
    citations = Citation.objects.select_related("source")
    overlays = ResponsibilityOverlay.objects.select_related("responsibility").prefetch_related(
        Prefetch("responsibility__citations", queryset=citations)
    )
    return pack.sections.prefetch_related(
        Prefetch("overlays", queryset=overlays), "post_holders", "checklist"
    )


def snapshot_draft(pack: InductionPack) -> dict[str, Any]:
    """The pack's draft as plain data, with the national text as it stands now.

    A fixed number of queries, whatever the number of sections or items.
    """
    sections = list(draft_sections(pack))
    glossary = None
    if any(section.kind == Kind.GLOSSARY for section in sections):
        glossary = national_glossary()
    return {
        "format": FORMAT,
        "trust": pack.trust.slug,
        "trust_name": pack.trust.name,
        "title": pack.title,
        "board_role": pack.board_role.slug,
        "board_role_name": pack.board_role.name,
        "sections": [
            section_snapshot(
                section,
                position=position,
                overlays=section.overlays.all(),
                post_holders=section.post_holders.all(),
                checklist=section.checklist.all(),
                glossary=glossary,
            )
            for position, section in enumerate(sections, start=1)
        ],
    }


def contents(content: Mapping[str, Any]) -> list[dict[str, str]]:
    """The contents list of a snapshot, `[{"anchor", "title"}]` in order: the reading view's
    and the PDF's."""
    return [
        {"anchor": section.get("anchor", ""), "title": section.get("title", "")}
        for section in content.get("sections", [])
    ]
