"""Two fragments of sanitised HTML compared, as HTML with the changes marked.

The comparison page shows readers the formatted text of two versions, not their Markdown. The
fragments compared are the sanitiser's output (induction/safe_markdown.py) or HTML the
comparison builds from escaped values. The result is never spliced together from the input
strings: both fragments are parsed into trees (induction/html_tree.py) and the output is
written from those trees, so

- every tag written is one the sanitiser allows, with only the attributes html_tree keeps,
  and every tag is closed, in order; all text is escaped again;
- `<del>` and `<ins>` only ever wrap text inside one block (a paragraph, a list item, a table
  cell), never a block, a list item or a row, so the page's structure stays valid;
- they start and end on word boundaries, never inside a word, and a removed run followed by
  the run that replaced it has a space between them ("held delegated", not "helddelegated");
- ids are dropped and links within the page unwrapped: both versions' text shares one page,
  and their ids would collide with each other and with the page's own.

This module matches the blocks (a paragraph, a heading, a list, a table), then the items and
rows inside the blocks that changed; the words of the text that changed are compared in
induction/html_words.py. Each matching step spends the caller's `Budget`
(induction/text_diff.py); past it, a changed run is shown as removed and added whole, so no
input can make a comparison slow.
"""

from __future__ import annotations

import re
from html import escape

from .html_tree import INLINE_TAGS, VOID_TAGS, Element, parse
from .html_words import InlineRun, diff_runs, marked_run
from .text_diff import Budget, opcodes


def _serialise(node) -> str:
    """A block or run as the HTML it was parsed from, tidied: what blocks are matched by."""
    if isinstance(node, str):
        return escape(node, quote=False)
    if isinstance(node, InlineRun):
        return "".join(_serialise(child) for child in node.nodes)
    return node.start_tag() + "".join(_serialise(child) for child in node.children) + node.end_tag()


def _is_inline(node) -> bool:
    return isinstance(node, str) or node.tag in INLINE_TAGS


def _items(element: Element) -> list:
    """An element's children as blocks and runs of inline content. Whitespace between blocks
    is left out (it shows nothing); inside `<pre>` every space counts."""
    preserve = element.tag == "pre"
    items: list = []
    run: list = []

    def end_run():
        if run and (preserve or not all(isinstance(n, str) and not n.strip() for n in run)):
            items.append(InlineRun(list(run), preserve))
        run.clear()

    for child in element.children:
        if _is_inline(child) or preserve:
            run.append(child)
        else:
            end_run()
            items.append(child)
    end_run()
    return items


def _kind(item) -> str:
    return "inline" if isinstance(item, InlineRun) else item.tag + str(item.attributes)


def _marked_whole(item, mark: str) -> str:
    """A block or run that is only in one of the versions, its words all marked."""
    if isinstance(item, InlineRun):
        return marked_run(item, mark)
    if item.tag in VOID_TAGS:
        return item.start_tag()
    inside = "".join(_marked_whole(child, mark) for child in _items(item))
    return item.start_tag() + inside + item.end_tag()


def _diff_pair(old, new, budget: Budget) -> str:
    """Two blocks of the same kind, one continuing the other."""
    if isinstance(new, InlineRun):
        return diff_runs(old, new, budget)
    if new.tag in VOID_TAGS:
        return new.start_tag()
    return new.start_tag() + _diff_items(_items(old), _items(new), budget) + new.end_tag()


def _diffed_items(old: list, new: list, budget: Budget) -> list[tuple[str, bool]]:
    """Each block of the result as HTML, and whether it changed."""
    parts: list[tuple[str, bool]] = []
    old_keys = [_serialise(item) for item in old]
    new_keys = [_serialise(item) for item in new]
    for tag, i1, i2, j1, j2 in opcodes(old_keys, new_keys, budget):
        if tag == "equal":
            parts += [(html, False) for html in new_keys[j1:j2]]
            continue
        # Of the blocks that changed, those of the same kind in the same order continue each
        # other (a paragraph edited, a row with a changed cell); the rest were removed or added.
        old_run, new_run = old[i1:i2], new[j1:j2]
        old_kinds = [_kind(item) for item in old_run]
        new_kinds = [_kind(item) for item in new_run]
        for kind_tag, k1, k2, m1, m2 in opcodes(old_kinds, new_kinds, budget):
            if kind_tag == "equal":
                parts += [
                    (_diff_pair(before, after, budget), True)
                    for before, after in zip(old_run[k1:k2], new_run[m1:m2], strict=True)
                ]
            else:
                parts += [(_marked_whole(item, "del"), True) for item in old_run[k1:k2]]
                parts += [(_marked_whole(item, "ins"), True) for item in new_run[m1:m2]]
    return parts


def _diff_items(old: list, new: list, budget: Budget) -> str:
    return "".join(html for html, _ in _diffed_items(old, new, budget))


# An unchanged heading just before a change is shown as its signpost; other runs of unchanged
# blocks are folded into a details element (open it to read them; no JavaScript needed).
_HEADING = re.compile(r"<h[2-6][ >]")
_FOLDED = (
    '<details class="nhsuk-details app-diff__unchanged">'
    '<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">'
    "{count} unchanged parts</span></summary>"
    '<div class="nhsuk-details__text">{html}</div></details>'
)


def _folded(parts: list[tuple[str, bool]]) -> str:
    changed = [index for index, (_, is_change) in enumerate(parts) if is_change]
    shown = set(changed)
    for index in changed:
        before = index - 1
        while before >= 0 and before not in shown and _HEADING.match(parts[before][0]):
            shown.add(before)
            before -= 1
    written: list[str] = []
    hidden: list[str] = []

    def fold():
        if len(hidden) > 1:
            written.append(_FOLDED.format(count=len(hidden), html="".join(hidden)))
        else:
            written.extend(hidden)
        hidden.clear()

    for index, (html, _) in enumerate(parts):
        if index in shown:
            fold()
            written.append(html)
        else:
            hidden.append(html)
    fold()
    return "".join(written)


def diff_html(old_html: str, new_html: str, budget: Budget, *, fold: bool = False) -> str:
    """The new fragment with what changed since the old one marked: removed words in `<del>`,
    added words in `<ins>`. Safe to show as it is (see the module's docstring). With `fold`,
    runs of unchanged blocks away from the changes are folded into a details element."""
    parts = _diffed_items(_items(parse(old_html)), _items(parse(new_html)), budget)
    return _folded(parts) if fold else "".join(html for html, _ in parts)
