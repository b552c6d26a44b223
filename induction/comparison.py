"""Comparing two versions of a pack (or a version and the draft), section by section.

A read path: the compare page and the publish page use it, and it writes nothing. Sections
are paired by title, so a section that changed place is reported as moved, never as removed
and added again; a section renamed in place is paired with its old self.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import PackVersion, holding_label, relation_label


@dataclass(frozen=True)
class SectionDiff:
    """One section of a comparison. `status` is added, removed, changed or unchanged (its
    text and title); `moved` says it stands elsewhere relative to the other sections; `html`
    is the section's text with insertions in `<ins>` and deletions in `<del>`, escaped."""

    title: str
    old_title: str | None
    new_title: str | None
    status: str
    html: SafeString
    moved: bool = False

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
    """A section as plain lines of text, for comparison."""
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


_TOKEN = re.compile(r"\s+|[^\s]+")

# How much matching one comparison may do, in pairs of tokens compared (difflib's matcher is
# quadratic in the worst case). A normal edit of a normal pack uses a small fraction; past the
# budget a changed run is shown as rewritten (all removed, all added) instead of word by word,
# so no input, however hostile, holds a web worker for long.
MATCHING_BUDGET = 1_000_000


class _Budget:
    """What is left of one comparison's matching budget."""

    def __init__(self, pairs: int = MATCHING_BUDGET):
        self.pairs = pairs

    def allows(self, old: list, new: list) -> bool:
        cost = len(old) * len(new)
        if cost > self.pairs:
            return False
        self.pairs -= cost
        return True


def _common_ends(old: list, new: list) -> tuple[int, int]:
    """How many items the two lists share at the start, and then at the end (linear time)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _opcodes(old: list, new: list, budget: _Budget) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes between two lists: the shared ends found in linear time, the
    middle matched only if the budget allows, else reported as one replacement."""
    start, end = _common_ends(old, new)
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    codes = [("equal", 0, start, 0, start)] if start else []
    if old_middle or new_middle:
        if budget.allows(old_middle, new_middle):
            matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
            codes += [
                (tag, i1 + start, i2 + start, j1 + start, j2 + start)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            ]
        else:
            codes.append(("replace", start, len(old) - end, start, len(new) - end))
    if end:
        codes.append(("equal", len(old) - end, len(old), len(new) - end, len(new)))
    return codes


def _marked(removed: str, added: str) -> list[str]:
    parts = []
    if removed:
        parts.append(f"<del>{escape(removed)}</del>")
    if added:
        parts.append(f"<ins>{escape(added)}</ins>")
    return parts


def _diff_html(old: str, new: str, budget: _Budget) -> SafeString:
    """The new text with the changes marked: lines are matched first, then the words of the
    lines that changed, each step within the budget."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines, budget):
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            parts.append(escape(added))
            continue
        old_tokens, new_tokens = _TOKEN.findall(removed), _TOKEN.findall(added)
        for word_tag, k1, k2, m1, m2 in _opcodes(old_tokens, new_tokens, budget):
            words_removed = "".join(old_tokens[k1:k2])
            words_added = "".join(new_tokens[m1:m2])
            if word_tag == "equal":
                parts.append(escape(words_added))
            else:
                parts += _marked(words_removed, words_added)
    return mark_safe("".join(parts).replace("\n", "<br>\n"))


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


def _staying_in_order(pairs: dict[int, int]) -> set[int]:
    """The new indexes of the largest set of paired sections whose order did not change
    (a longest increasing run of old positions); every other paired section moved."""
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


def _section_diff(
    before, after, board_role_name: str, budget: _Budget | None, *, moved: bool = False
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
    return SectionDiff(
        title=new_title if new_title is not None else old_title,
        old_title=old_title,
        new_title=new_title,
        status=status,
        html=_diff_html(old_text, new_text, budget) if budget else mark_safe(""),
        moved=moved,
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
    input (see MATCHING_BUDGET). With `marked=False` only what happened to each section is
    worked out, not the changed words (`html` is empty), for pages that list sections."""
    old_content, new_content = _content(old), _content(new)
    old_sections = old_content.get("sections", [])
    new_sections = new_content.get("sections", [])
    board_role_name = new_content.get("board_role_name") or old_content.get("board_role_name", "")
    budget = _Budget() if marked else None
    pairs = _pair_sections(old_sections, new_sections)
    in_order = _staying_in_order(pairs)
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
            diffs.append(_section_diff(old_sections[old_index], None, board_role_name, budget))
        if new_index == len(new_sections):
            break
        before = old_sections[pairs[new_index]] if new_index in pairs else None
        moved = new_index in pairs and new_index not in in_order
        diffs.append(
            _section_diff(before, new_sections[new_index], board_role_name, budget, moved=moved)
        )
    return diffs
