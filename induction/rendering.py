"""A pack snapshot as HTML: the body that the reading view, the previews and the PDF share.

Trust-written Markdown goes through the sanitiser (induction/safe_markdown.py); everything
else is escaped by the templates under `templates/induction/partials/`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from roles.diagrams import Edge, Node, render_svg
from roles.models import Responsibility

from .models import ChecklistItem, PostHolder, ResponsibilityOverlay, Section, holding_label
from .models import relation_label as relation_words
from .safe_markdown import render_markdown

Kind = Section.Kind
Status = ResponsibilityOverlay.Status

STATUS_TAG_CLASSES = {
    Status.HELD: "nhsuk-tag--green",
    Status.DELEGATED: "nhsuk-tag--blue",
    Status.NOT_APPLICABLE: "nhsuk-tag--grey",
}
RESPONSIBILITY_GROUPS = [
    (Responsibility.Kind.CORE, "Core responsibilities, part of the role in every trust"),
    (Responsibility.Kind.DELEGATED, "Responsibilities that are often delegated"),
]
CATEGORY_LABELS = dict(ChecklistItem.Category.choices)
TIMING_LABELS = dict(ChecklistItem.Timing.choices)


def _responsibilities_context(items: list[dict], board_role_name: str, anchor: str) -> list[dict]:
    groups = []
    for kind, caption in RESPONSIBILITY_GROUPS:
        rows = [
            {
                **item,
                "status_label": holding_label(item.get("status", ""), board_role_name),
                "status_class": STATUS_TAG_CLASSES.get(item.get("status"), ""),
                # Ids made by the note's headings and footnotes are namespaced by section and
                # responsibility, so no note can take over an id the page itself uses.
                "note_html": mark_safe(
                    render_markdown(
                        item.get("note", ""),
                        # Under the responsibility's own <h4>.
                        base_level=5,
                        id_prefix=f"{anchor}-{item.get('slug', '')}-",
                    )
                ),
            }
            for item in items
            if item.get("kind", Responsibility.Kind.CORE) == kind
        ]
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
        # the role-holder, and the list above the diagram says so in words.
        contact = holder["contact"] or ""
        rows.append(
            {
                **holder,
                "relation_label": relation_words(holder["relation"], board_role_name),
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
                section.get("responsibilities") or [], board_role_name, anchor
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


# The opening tag of a section as `pack_body.html` writes it. The sanitiser allows no
# `<section>` in trust content (induction/safe_markdown.py) and the diagrams draw none, so a
# section's HTML runs from its opening tag to the first `</section>` after it.
_SECTION_START = re.compile(r'<section class="app-pack-section" id="([^"]+)"')
_SECTION_END = "</section>"


def split_sections(html: str) -> dict[str, SafeString]:
    """The sections of a version's frozen `rendered_html`, `{anchor: html}` in pack order,
    each the whole `<section>` element as it was published, so that a page of one section
    shows exactly what the whole pack and the PDF show."""
    sections = {}
    for match in _SECTION_START.finditer(html):
        end = html.find(_SECTION_END, match.end())
        if end == -1:
            break
        # Frozen at publication from sanitised content (see render_snapshot_html).
        sections[match.group(1)] = mark_safe(html[match.start() : end + len(_SECTION_END)])  # noqa: S308
    return sections
