"""A pack snapshot as HTML: the body that the reading view, the previews and the PDF share.

Trust-written Markdown goes through the sanitiser (induction/safe_markdown.py); everything
else is escaped by the templates under `templates/induction/partials/`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from roles.diagrams import Edge, Node, render_svg
from roles.models import Provenance, Responsibility

from .models import ChecklistItem, PostHolder, ResponsibilityOverlay, Section, holding_label
from .models import relation_label as relation_words
from .safe_markdown import render_markdown
from .snapshot import board_role_name as board_role_name_of

Kind = Section.Kind
Status = ResponsibilityOverlay.Status

STATUS_TAG_CLASSES = {
    Status.HELD: "nhsuk-tag--green",
    Status.DELEGATED: "nhsuk-tag--blue",
    Status.NOT_APPLICABLE: "nhsuk-tag--grey",
}
# The paper's two kinds, then the duties since the paper, as the explainer lists them. A
# snapshot carries each kind's caption (`kind_label`); versions frozen before it did fall back
# to the national model's captions, which word the paper's kinds as the paper does.
RESPONSIBILITY_KINDS = list(Responsibility.Kind.values)
KIND_CAPTIONS = dict(Responsibility.Kind.choices)
# A kind this code does not know (from a newer snapshot format) is shown, never dropped.
OTHER_KIND_CAPTION = "Other responsibilities"
EDITORIAL_LINE = "Our explanation, not from the paper"
LATER_DEVELOPMENT_TAG_CLASSES = {"changed": "nhsuk-tag--yellow"}
CATEGORY_LABELS = dict(ChecklistItem.Category.choices)
TIMING_LABELS = dict(ChecklistItem.Timing.choices)


def _checked_on(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _is_web_address(url: Any) -> bool:
    # Every national note links to an http(s) page; anything else in a snapshot (an imported
    # file, say) is shown as text rather than trusted as a link.
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def _later_developments(notes: Any) -> list[dict]:
    return [
        {
            **note,
            "tag_class": LATER_DEVELOPMENT_TAG_CLASSES.get(note.get("kind"), "nhsuk-tag--grey"),
            "checked_on": _checked_on(note.get("checked_on")),
            "source_is_link": _is_web_address(note.get("source_url")),
        }
        for note in notes or []
        if isinstance(note, Mapping)
    ]


def _in_practice(value: Any) -> dict | None:
    if isinstance(value, Mapping):
        text, label = value.get("text"), value.get("label")
    else:
        text, label = value, None
    if not text:
        return None
    return {"text": text, "label": label or EDITORIAL_LINE}


def _responsibility_row(item: Mapping, board_role_name: str, anchor: str) -> dict:
    # A version frozen before provenance existed holds only statements from the paper.
    provenance = item.get("provenance") or Provenance.PAPER
    citations = item.get("citations") or []
    return {
        **item,
        "status_label": holding_label(item.get("status", ""), board_role_name),
        "status_class": STATUS_TAG_CLASSES.get(item.get("status"), ""),
        # Only a statement from the paper is cited; our own words never borrow a citation,
        # and a later development is sourced by its dated notes.
        "sources": "; ".join(citations) if provenance == Provenance.PAPER else "",
        "is_editorial": provenance == Provenance.EDITORIAL,
        "in_practice": _in_practice(item.get("in_practice")),
        "later_developments": _later_developments(item.get("later_developments")),
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


def _responsibilities_context(items: list[dict], board_role_name: str, anchor: str) -> list[dict]:
    """The rows grouped by kind, in the national order of kinds, then any kind this code does
    not know, so that no row is ever left out. Each group is captioned by its rows' frozen
    `kind_label`, or by the national caption for versions frozen without one."""
    by_kind: dict[str, list[Mapping]] = {}
    for item in items:
        by_kind.setdefault(item.get("kind") or Responsibility.Kind.CORE, []).append(item)
    known = [kind for kind in RESPONSIBILITY_KINDS if kind in by_kind]
    unknown = [kind for kind in by_kind if kind not in RESPONSIBILITY_KINDS]
    groups = []
    for kind in known + unknown:
        rows = by_kind[kind]
        caption = next((row["kind_label"] for row in rows if row.get("kind_label")), None)
        groups.append(
            {
                "kind": kind,
                "caption": caption or KIND_CAPTIONS.get(kind, OTHER_KIND_CAPTION),
                "rows": [_responsibility_row(row, board_role_name, anchor) for row in rows],
            }
        )
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
    board_role_name = board_role_name_of(content)
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
