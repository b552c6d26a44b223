"""Comparing two versions of a pack (or a version and the draft), section by section.

A read path: the compare page and the publish page use it, and it writes nothing. Sections
are paired by title, so a section that changed place is reported as moved, never as removed
and added again; a section renamed in place is paired with its old self. The changed words
are marked twice: in the formatted text readers see (rendered and sanitised, then compared
block by block and word by word in induction/html_diff.py) and in the Markdown source that
editors write (induction/text_diff.py).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .html_diff import diff_html
from .models import ChecklistItem, PackVersion, holding_label, relation_label
from .safe_markdown import render_markdown
from .snapshot import board_role_name as board_role_name_of
from .text_diff import MATCHING_BUDGET, Budget, diff_text

__all__ = [
    "FORMATTED_SECTION_CHARACTERS",
    "MATCHING_BUDGET",
    "RENDER_SECONDS",
    "SectionDiff",
    "compare_versions",
    "staying_in_order",
]

_TIMING_LABELS = dict(ChecklistItem.Timing.choices)
_CATEGORY_LABELS = dict(ChecklistItem.Category.choices)


@dataclass(frozen=True)
class SectionDiff:
    """One section of a comparison. `status` is added, removed, changed or unchanged (its
    text and title); `moved` says it stands elsewhere relative to the other sections.

    `html` is the section as readers see it, formatted, with removed words in `<del>` and
    added words in `<ins>`; `source_html` is the same for the Markdown source, escaped, for a
    `<pre>`. For a very long section (FORMATTED_SECTION_CHARACTERS), or past the
    comparison's rendering time (RENDER_SECONDS), `formatted` is False and `html` is the
    source's comparison too."""

    title: str
    old_title: str | None
    new_title: str | None
    status: str
    html: SafeString
    moved: bool = False
    source_html: SafeString = mark_safe("")
    formatted: bool = True

    @property
    def changed(self) -> bool:
        return self.status != "unchanged" or self.moved

    @property
    def description(self) -> str:
        """What happened to the section, in a few words ("moved and changed")."""
        if self.moved:
            return "moved and changed" if self.status == "changed" else "moved"
        return self.status


def section_text(section: Mapping[str, Any], board_role_name: str) -> str:
    """A section as its authors wrote it, in plain lines: the Markdown body, then one line per
    structured item. Whether a section changed is decided on this; editors see its changes."""
    lines = [section.get("body", "")]
    for item in section.get("responsibilities") or []:
        holding = holding_label(item.get("status", ""), board_role_name)
        line = f"{item.get('title', item.get('slug'))}: {holding}"
        if item.get("delegated_to"):
            line += f" to {item['delegated_to']}"
        if item.get("note"):
            line += f". {item['note']}"
        lines.append(line)
    for holder in section.get("post_holders") or []:
        contact = f", {holder['contact']}" if holder.get("contact") else ""
        relation = relation_label(holder.get("relation", ""), board_role_name)
        lines.append(f"{holder.get('title')}: {holder.get('name')} ({relation}){contact}")
    for item in section.get("checklist") or []:
        lines.append(f"Day {item.get('due_by_day')}, {item.get('category')}: {item.get('text')}")
    for entry in section.get("glossary") or []:
        lines.append(f"{entry.get('abbreviation')}: {entry.get('term')}")
    return "\n".join(line for line in lines if line)


# Rendering Markdown costs time that grows with the text, more for some constructs (see
# safe_markdown's limits), and a comparison renders both versions of every changed section.
# Past this much rendering in one comparison, the remaining changed sections are compared as
# the text their authors wrote, so the first comparison of two huge versions stays quick.
RENDER_SECONDS = 0.5
# A section longer than this (in characters of source, before or after) is compared as its
# source only: one section's rendering and matching then fits within a fraction of a second
# whatever its Markdown. Real sections are a few thousand characters.
FORMATTED_SECTION_CHARACTERS = 20_000


class _RenderClock:
    """The time one comparison has left for rendering sections as formatted text."""

    def __init__(self, seconds: float | None = None):
        self.deadline = time.perf_counter() + (RENDER_SECONDS if seconds is None else seconds)

    def allows(self) -> bool:
        return time.perf_counter() < self.deadline


def section_html(section: Mapping[str, Any] | None, board_role_name: str) -> str:
    """A section's text as sanitised HTML, for comparison: the Markdown body as the reading
    view renders it, then the structured items (responsibilities, post-holders, checklist,
    glossary) as lists of the words the reader sees. Empty for a missing section."""
    if not section:
        return ""
    parts = [render_markdown(section.get("body", ""))]
    items = []
    for item in section.get("responsibilities") or []:
        holding = holding_label(item.get("status", ""), board_role_name)
        delegated = f" to {item['delegated_to']}" if item.get("delegated_to") else ""
        items.append(
            format_html(
                "<li><strong>{}</strong>: {}{}.{}</li>",
                item.get("title", item.get("slug", "")),
                holding,
                delegated,
                mark_safe(render_markdown(item.get("note", ""), base_level=4)),
            )
        )
    for holder in section.get("post_holders") or []:
        contact = f", {holder['contact']}" if holder.get("contact") else ""
        items.append(
            format_html(
                "<li><strong>{}</strong>: {} ({}){}</li>",
                holder.get("title", ""),
                holder.get("name", ""),
                relation_label(holder.get("relation", ""), board_role_name),
                contact,
            )
        )
    for item in section.get("checklist") or []:
        timing = _TIMING_LABELS.get(item.get("due_by_day"), f"Day {item.get('due_by_day')}")
        category = _CATEGORY_LABELS.get(item.get("category"), item.get("category", ""))
        items.append(format_html("<li>{}, {}: {}</li>", timing, category, item.get("text", "")))
    for entry in section.get("glossary") or []:
        items.append(
            format_html(
                "<li><strong>{}</strong>: {}</li>", entry.get("abbreviation"), entry.get("term")
            )
        )
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def _pair_sections(old: list[dict], new: list[dict]) -> dict[int, int]:
    """Which old section each new one continues, as {new index: old index}: same title
    first (in order, for repeated titles), then a renamed section of the same kind in the
    same place."""
    unpaired_old: dict[str, list[int]] = {}
    for index, section in enumerate(old):
        unpaired_old.setdefault(section.get("title", ""), []).append(index)
    pairs: dict[int, int] = {}
    for index, section in enumerate(new):
        candidates = unpaired_old.get(section.get("title", ""))
        if candidates:
            pairs[index] = candidates.pop(0)
    taken = set(pairs.values())
    for index, section in enumerate(new):
        if (
            index not in pairs
            and index < len(old)
            and index not in taken
            and old[index].get("kind") == section.get("kind")
        ):
            pairs[index] = index
            taken.add(index)
    return pairs


def staying_in_order(pairs: dict[int, int]) -> set[int]:
    """The new indexes of the largest set of paired sections whose order did not change
    (a longest increasing run of old positions); every other paired section moved. Reordering
    the draft (`services.reorder_sections`) names what moved by the same rule."""
    ordered = sorted(pairs)
    best: list[list[int]] = []  # best[k]: the chain of new indexes ending lowest at length k+1
    tails: list[int] = []
    for new_index in ordered:
        old_index = pairs[new_index]
        length = next((k for k, tail in enumerate(tails) if tail >= old_index), len(tails))
        chain = (best[length - 1] if length else []) + [new_index]
        if length == len(tails):
            tails.append(old_index)
            best.append(chain)
        else:
            tails[length] = old_index
            best[length] = chain
    return set(best[-1]) if best else set()


@dataclass
class _Marking:
    """What one comparison may spend on marking words: matching and rendering."""

    budget: Budget
    clock: _RenderClock


def _marked_html(before, after, old_text: str, new_text: str, board_role_name: str, marking):
    """The section's formatted and source comparisons, and whether the first is formatted."""
    source = diff_text(old_text, new_text, marking.budget)
    too_long = max(len(old_text), len(new_text)) > FORMATTED_SECTION_CHARACTERS
    if too_long or not marking.clock.allows():
        return source, source, False
    old_html = section_html(before, board_role_name)
    new_html = section_html(after, board_role_name)
    return diff_html(old_html, new_html, marking.budget, fold=True), source, True


def _section_diff(
    before, after, board_role_name: str, marking: _Marking | None, *, moved: bool = False
) -> SectionDiff:
    old_text = section_text(before, board_role_name) if before else ""
    new_text = section_text(after, board_role_name) if after else ""
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
    html = source = ""
    formatted = True
    if marking and status != "unchanged":
        html, source, formatted = _marked_html(
            before, after, old_text, new_text, board_role_name, marking
        )
    return SectionDiff(
        title=new_title if new_title is not None else old_title,
        old_title=old_title,
        new_title=new_title,
        status=status,
        html=mark_safe(html),  # written by html_diff from parsed, escaped parts
        moved=moved,
        source_html=mark_safe(source),  # escaped by text_diff.diff_text
        formatted=formatted,
    )


def _content(version_or_snapshot: PackVersion | Mapping) -> Mapping:
    if isinstance(version_or_snapshot, PackVersion):
        return version_or_snapshot.content
    return version_or_snapshot


def compare_versions(
    old: PackVersion | Mapping, new: PackVersion | Mapping, *, marked: bool = True
) -> list[SectionDiff]:
    """Compare two versions (or snapshots) section by section, in the new version's order,
    with each removed section where it stood in the old one. Bounded in time whatever the
    input (see MATCHING_BUDGET and RENDER_SECONDS). With `marked=False` only what happened to
    each section is worked out, not the changed words (`html` is empty), for pages that list
    sections."""
    old_content, new_content = _content(old), _content(new)
    old_sections = old_content.get("sections", [])
    new_sections = new_content.get("sections", [])
    board_role_name = board_role_name_of(new_content, old_content)
    marking = _Marking(Budget(), _RenderClock()) if marked else None
    pairs = _pair_sections(old_sections, new_sections)
    in_order = staying_in_order(pairs)
    paired_old = set(pairs.values())
    removed_before: dict[int, list[int]] = {}  # removed old sections, by the next kept one
    for old_index in range(len(old_sections)):
        if old_index not in paired_old:
            following = next(
                (n for n in sorted(pairs) if n in in_order and pairs[n] > old_index),
                len(new_sections),
            )
            removed_before.setdefault(following, []).append(old_index)
    diffs = []
    for new_index in range(len(new_sections) + 1):
        for old_index in removed_before.get(new_index, []):
            diffs.append(_section_diff(old_sections[old_index], None, board_role_name, marking))
        if new_index == len(new_sections):
            break
        before = old_sections[pairs[new_index]] if new_index in pairs else None
        moved = new_index in pairs and new_index not in in_order
        diffs.append(
            _section_diff(before, new_sections[new_index], board_role_name, marking, moved=moved)
        )
    return diffs
