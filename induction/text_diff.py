"""Two lists matched within a budget, and two lists of words written with their changes marked.

Both comparisons the compare page shows rest on this: the formatted text
(induction/html_diff.py, whose words carry their formatting) and the Markdown source
(`diff_text`, whose words are plain strings). Either way a change is written alike: `<del>`
and `<ins>` start and end on word boundaries, never on the spaces around them; a removed run
and the run that replaced it have a space between them ("held delegated"); and a single
shared word between two changes is folded into them, which reads better than a word-by-word
patchwork.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable, Sequence
from html import escape
from typing import TypeVar

# How much matching one comparison may do, in pairs of items compared (difflib's matcher is
# quadratic in the worst case). A normal edit of a normal pack uses a small fraction; past the
# budget a changed run is shown as rewritten (all removed, all added) instead of word by word,
# so no input, however hostile, holds a web worker for long.
MATCHING_BUDGET = 1_000_000

# A text as words and the spaces between them, alternating.
SPACE_OR_WORD = re.compile(r"\s+|\S+")

Word = TypeVar("Word")


class Budget:
    """What is left of one comparison's matching budget, shared by all its sections."""

    def __init__(self, pairs: int = MATCHING_BUDGET):
        self.pairs = pairs

    def allows(self, old: list, new: list) -> bool:
        cost = len(old) * len(new)
        if cost > self.pairs:
            return False
        self.pairs -= cost
        return True


def _shared_length(old: list, new: list) -> int:
    """How many items two lists share at the start. A binary search over slices, so that the
    comparing is done by the list's own (compiled) equality, not item by item in Python."""
    low, high = 0, min(len(old), len(new))
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_ends(old: list, new: list) -> tuple[int, int]:
    """How many items the two lists share at the start, and then at the end."""
    start = _shared_length(old, new)
    end = _shared_length(old[start:][::-1], new[start:][::-1])
    return start, end


def opcodes(old: list, new: list, budget: Budget) -> list[tuple[str, int, int, int, int]]:
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


def _merge_short_equal_runs(codes: list, old: Sequence, is_space) -> list:
    """Opcodes with a single shared word between two changes folded into one change:
    "<del>Held by the</del> <ins>Delegated to the Deputy</ins>" reads better than
    "<del>Held</del> <ins>Delegated</ins> <del>by</del> <ins>to</ins> the <ins>Deputy</ins>"."""
    merged: list = []
    for index, code in enumerate(codes):
        tag, i1, i2, j1, j2 = code
        between_changes = 0 < index < len(codes) - 1 and merged and merged[-1][0] != "equal"
        # Words and spaces alternate, so one word has at most a space either side of it.
        short = i2 - i1 <= 3 and sum(1 for item in old[i1:i2] if not is_space(item)) <= 1
        if tag == "equal" and between_changes and short:
            code = ("replace", i1, i2, j1, j2)
        if merged and code[0] != "equal" and merged[-1][0] != "equal":
            previous = merged.pop()
            code = ("replace", previous[1], code[2], previous[3], code[4])
        merged.append(code)
    return merged


def _trimmed(words: Sequence[Word], is_space: Callable[[Word], bool]):
    """A changed run as the spaces before it, its words (and the spaces between them), and
    the spaces after it: marks cover words, never the spaces around them."""
    start, end = 0, len(words)
    while start < end and is_space(words[start]):
        start += 1
    while end > start and is_space(words[end - 1]):
        end -= 1
    return words[:start], words[start:end], words[end:]


# What writes words out: `write(words, mark)` with mark "del", "ins" or None (unchanged), and
# `separate(last removed word, first added word)` for the space between a removed run and the
# run that replaced it.
Write = Callable[[Sequence[Word], str | None], None]
Separate = Callable[[Word, Word], None]


def write_change(
    removed: Sequence[Word],
    added: Sequence[Word],
    *,
    is_space: Callable[[Word], bool],
    write: Write,
    separate: Separate,
) -> None:
    """Write a run of words and spaces that replaced another (either may be empty): the
    removed words marked "del", then the added ones marked "ins", the spaces around them
    unmarked."""
    removed_before, removed_words, removed_after = _trimmed(removed, is_space)
    added_before, added_words, added_after = _trimmed(added, is_space)
    write(added_before or removed_before, None)
    write(removed_words, "del")
    if removed_words and added_words:
        separate(removed_words[-1], added_words[0])
    write(added_words, "ins")
    write(added_after or removed_after, None)


def diff_words(
    old: Sequence[Word],
    new: Sequence[Word],
    budget: Budget,
    *,
    key: Callable[[Word], Hashable],
    is_space: Callable[[Word], bool],
    write: Write,
    separate: Separate,
) -> None:
    """Write the new words and spaces (alternating) with what changed since the old marked,
    as `write_change` does; words are the same when their `key`s are."""
    codes = opcodes([key(word) for word in old], [key(word) for word in new], budget)
    for tag, i1, i2, j1, j2 in _merge_short_equal_runs(codes, old, is_space):
        if tag == "equal":
            write(new[j1:j2], None)
        else:
            write_change(
                old[i1:i2], new[j1:j2], is_space=is_space, write=write, separate=separate
            )


def diff_text(old: str, new: str, budget: Budget) -> str:
    """Two plain texts (such as Markdown source) compared line by line, then word by word in
    the lines that changed: escaped, with `<del>` and `<ins>` on word boundaries as in
    `html_diff.diff_html`, for showing in a `<pre>`. Quicker than that: its words are strings."""
    parts: list[str] = []

    def write(words: Sequence[str], mark: str | None) -> None:
        if words:
            text = escape("".join(words))
            parts.append(f"<{mark}>{text}</{mark}>" if mark else text)

    def separate(_removed: str, _added: str) -> None:
        parts.append(" ")

    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in opcodes(old_lines, new_lines, budget):
        if tag == "equal":
            write(new_lines[j1:j2], None)
            continue
        diff_words(
            SPACE_OR_WORD.findall("".join(old_lines[i1:i2])),
            SPACE_OR_WORD.findall("".join(new_lines[j1:j2])),
            budget,
            key=str,
            is_space=str.isspace,
            write=write,
            separate=separate,
        )
    return "".join(parts)
