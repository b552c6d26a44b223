"""The pack as data: the one owner of the pack JSON format.

One JSON shape serves three purposes: a published version's frozen `content`, the output of
`manage.py export_pack`, and the input of `manage.py import_pack` and of restoring a version
(induction/importing.py reads it back):

    {"format": "mdportal.induction-pack/1", "trust": "northshire", "trust_name": "...",
     "title": "...", "board_role": "medical-director", "board_role_name": "Medical Director",
     "sections": [{"anchor": "section-1", "title": "...", "kind": "markdown", "body": "..."},
                  {"kind": "responsibilities", "responsibilities": [{"slug", "title",
                   "description", "kind", "status", "delegated_to", "note", "citations",
                   "kind_label", "provenance", "provenance_label", "in_practice"?,
                   "frequency"?, "committee"?, "later_developments"}]},
                  {"kind": "people", "post_holders": [{"name", "title", "relation", "contact"}]},
                  {"kind": "checklist", "checklist": [{"category", "text", "due_by_day"}]},
                  {"kind": "glossary", "glossary": [{"abbreviation", "term", "definition"}]}]}

A snapshot freezes the national text as it stood (responsibility titles, descriptions and
citations; glossary terms). Each responsibility also freezes where it comes from: its
`provenance` ("paper", "editorial" or "later") with the label the explainer shows, its
`kind_label`; where the national text has them, the portal's own explanation
`in_practice: {"text", "label"}`, and a board report's usual `frequency` and `committee`; and
`later_developments`, the dated notes attached to it, each
`{"slug", "kind", "kind_label", "title", "text", "when", "source_title", "source_publisher",
"source_url", "checked_on"}` (checked_on as an ISO date). Keys marked ? are left out when
empty. Versions frozen before these keys existed have none of them: readers of a snapshot
must treat each as optional (a missing provenance means "paper", the only kind there was).

Every section, whether of the draft being published or of an editor's unsaved preview, is
made by `section_snapshot`, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Prefetch

from roles.citing import citation_parts
from roles.models import (
    Citation,
    DevelopmentLink,
    GlossaryTerm,
    LaterDevelopment,
    Provenance,
    Responsibility,
)

from .models import ChecklistItem, InductionPack, PostHolder, ResponsibilityOverlay, Section

FORMAT = "mdportal.induction-pack/1"

Kind = Section.Kind

# Every key a responsibility may have in a snapshot; an imported file may carry any of them
# (the national ones are read back from the national model, never from the file).
RESPONSIBILITY_KEYS = frozenset({
    "slug", "title", "description", "kind", "status", "delegated_to", "note", "citations",
    "kind_label", "provenance", "provenance_label", "in_practice", "frequency", "committee",
    "later_developments",
})  # fmt: skip

# How the portal's own explanation is labelled wherever it is shown: never as the paper's.
IN_PRACTICE_LABEL = "Our explanation, not from the paper"

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


def national_glossary() -> list[dict[str, Any]]:
    """The national glossary as a snapshot freezes it, each term with its "changed since 2017"
    notes where it has any (two queries)."""
    links = Prefetch("development_links", DevelopmentLink.objects.select_related("development"))
    glossary = []
    for term in GlossaryTerm.objects.order_by("abbreviation").prefetch_related(links):
        entry = {
            "abbreviation": term.abbreviation,
            "term": term.term,
            "definition": term.definition,
        }
        changes = [_later_development(link.development) for link in term.development_links.all()]
        if changes:
            entry["later_developments"] = changes
        glossary.append(entry)
    return glossary


def overlay_relations() -> list[Prefetch]:
    """What `section_snapshot` reads of each overlay's national responsibility, to prefetch on
    a queryset of overlays (`"responsibility"` must be select_related): its citations with
    their sources, and its later-development notes. One query each, however many rows."""
    return [
        Prefetch("responsibility__citations", Citation.objects.select_related("source")),
        Prefetch(
            "responsibility__development_links",
            DevelopmentLink.objects.select_related("development"),
        ),
    ]


def _ordered_overlays(overlays: Iterable[ResponsibilityOverlay]) -> list[ResponsibilityOverlay]:
    # In the order the explainer lists them (the paper's two kinds, then the duties since the
    # paper), each kind in national order.
    kind_rank = {kind: rank for rank, kind in enumerate(Responsibility.Kind.values)}
    return sorted(
        overlays,
        key=lambda o: (
            kind_rank.get(o.responsibility.kind, len(kind_rank)),
            o.responsibility.order,
            o.pk or 0,
        ),
    )


def _later_development(note: LaterDevelopment) -> dict[str, str]:
    return {
        "slug": note.slug,
        "kind": note.kind,
        "kind_label": note.get_kind_display(),
        "title": note.title,
        "text": note.text,
        "when": note.when,
        "source_title": note.source_title,
        "source_publisher": note.source_publisher,
        "source_url": note.source_url,
        "checked_on": note.checked_on.isoformat(),
    }


def _responsibility(overlay: ResponsibilityOverlay) -> dict[str, Any]:
    national = overlay.responsibility
    # In the order the explainer shows them beside the statement (DevelopmentLink.Meta).
    links = national.development_links.all()
    entry = {
        "slug": national.slug,
        "title": national.title,
        "description": national.description,
        "kind": national.kind,
        "kind_label": national.get_kind_display(),
        "provenance": national.provenance,
        "provenance_label": national.get_provenance_display(),
        "status": overlay.status,
        "delegated_to": overlay.delegated_to,
        "note": overlay.note,
        # Only a statement from the paper is cited; the others are sourced by their notes.
        "citations": (
            citation_labels(national.citations.all())
            if national.provenance == Provenance.PAPER
            else []
        ),
        "later_developments": [_later_development(link.development) for link in links],
    }
    if national.in_practice:
        entry["in_practice"] = {"text": national.in_practice, "label": IN_PRACTICE_LABEL}
    if national.frequency:
        entry["frequency"] = national.frequency
    if national.committee:
        entry["committee"] = national.committee
    return entry


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
    responsibility loaded, with `overlay_relations()` prefetched."""
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
    overlays = ResponsibilityOverlay.objects.select_related("responsibility").prefetch_related(
        *overlay_relations()
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


# What a snapshot without a board role name calls the role-holder (every snapshot the portal
# makes has the name): the words of the models' own labels, never one board role's name.
UNNAMED_BOARD_ROLE = "board role-holder"


def board_role_name(*snapshots: Mapping[str, Any]) -> str:
    """The name of the board role the snapshots are for ("Medical Director"), from the first
    that has one; else UNNAMED_BOARD_ROLE. Rendering and comparing both read it here."""
    names = (snapshot.get("board_role_name") for snapshot in snapshots)
    return next((name for name in names if name), UNNAMED_BOARD_ROLE)


def contents(content: Mapping[str, Any]) -> list[dict[str, str]]:
    """The contents list of a snapshot, `[{"anchor", "title"}]` in order: the reading view's
    and the PDF's."""
    return [
        {"anchor": section.get("anchor", ""), "title": section.get("title", "")}
        for section in content.get("sections", [])
    ]
