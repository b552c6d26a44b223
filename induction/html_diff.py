"""Two fragments of sanitised HTML compared word by word, as HTML with the changes marked.

The comparison page shows readers the formatted text of two versions, not their Markdown. The
fragments compared are the sanitiser's output (induction/safe_markdown.py) or HTML the
comparison builds from escaped values. The result is never spliced together from the input
strings: both fragments are parsed into trees and the output is written from those trees, so

- every tag written is one the sanitiser allows, with only the attributes listed here, and
  every tag is closed, in order; all text is escaped again;
- `<del>` and `<ins>` only ever wrap text inside one block (a paragraph, a list item, a table
  cell), never a block, a list item or a row, so the page's structure stays valid;
- they start and end on word boundaries, never inside a word, and a removed run followed by
  the run that replaced it has a space between them ("held delegated", not "helddelegated");
- ids are dropped and links within the page unwrapped: both versions' text shares one page,
  and their ids would collide with each other and with the page's own.

Blocks are matched first (a paragraph, a heading, a list, a table), then the items and rows
inside the blocks that changed, then the words of the text that changed. Each matching step
spends the caller's `Budget`; past it, a changed run is shown as removed and added whole, so
no input can make a comparison slow.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

from .safe_markdown import ALLOWED_TAGS, is_picture_url

# How much matching one comparison may do, in pairs of items compared (difflib's matcher is
# quadratic in the worst case). A normal edit of a normal pack uses a small fraction; past the
# budget a changed run is shown as rewritten (all removed, all added) instead of word by word,
# so no input, however hostile, holds a web worker for long.
MATCHING_BUDGET = 1_000_000

VOID_TAGS = {"br", "hr", "img"}
INLINE_TAGS = {"a", "em", "strong", "code", "img", "sup", "br"}
# Dropped with everything inside them. The sanitiser removes script and style already; a
# footnote's back-link points at an id this page does not have, and its words are not text.
_DROPPED_WITH_CONTENT = {"script", "style"}
_DROPPED_CLASSES = {"footnote-backref"}
_KEPT_CLASSES = {"footnote", "nhsuk-table-container"}
# NHS.UK's scrolling table container (added after sanitising, see safe_markdown): a region
# that keyboard users can focus to scroll it.
_TABLE_CONTAINER_ATTRIBUTES = {"role", "tabindex", "aria-label"}
_ALIGNMENTS = {"left", "right", "center"}


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


def _merge_short_equal_runs(codes: list, old: list, is_space) -> list:
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


# --- the tree ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Element:
    """An element of a parsed fragment, with only the attributes kept by `_kept_attributes`."""

    tag: str
    attributes: tuple[tuple[str, str], ...]
    children: list  # of _Element and str
    fragment: object = None  # the root of the fragment it was parsed from

    @property
    def key(self) -> tuple:
        """What the element is, whichever version it comes from: its tag and attributes."""
        return (self.tag, self.attributes)

    def start_tag(self) -> str:
        written = "".join(f' {name}="{escape(value)}"' for name, value in self.attributes)
        return f"<{self.tag}{written}>"

    def end_tag(self) -> str:
        return "" if self.tag in VOID_TAGS else f"</{self.tag}>"


def _is_site_link(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _kept_attributes(tag: str, attributes: list[tuple[str, str | None]]) -> tuple | None:
    """The attributes written out for an element, or None to leave the element out and keep
    its content (a link within the page, whose target this page does not have). A second
    check after the sanitiser's, so the comparison never writes more than it allows."""
    given = {name: value or "" for name, value in attributes}
    classes = set(given.get("class", "").split())
    kept: list[tuple[str, str]] = []
    if tag == "a":
        href = given.get("href", "").strip()
        lowered = href.lower()
        if not (lowered.startswith(("https://", "mailto:")) or _is_site_link(href)):
            return None
        kept.append(("href", href))
        if lowered.startswith("https://"):
            kept.append(("rel", "noopener noreferrer"))
    elif tag == "img":
        src = given.get("src", "")
        if not is_picture_url(src):
            return None
        kept.append(("src", src))
        kept.append(("alt", given.get("alt", "")))
    elif tag in {"th", "td"} and given.get("align") in _ALIGNMENTS:
        kept.append(("align", given["align"]))
    elif tag == "ol" and given.get("start", "").isdigit() and len(given["start"]) < 6:
        kept.append(("start", given["start"]))
    elif tag == "div" and classes & _KEPT_CLASSES:
        kept.append(("class", " ".join(sorted(classes & _KEPT_CLASSES))))
        if "nhsuk-table-container" in classes:
            kept += [
                (name, given[name])
                for name in sorted(_TABLE_CONTAINER_ATTRIBUTES)
                if name in given and name != "tabindex"
            ]
            kept.append(("tabindex", "0"))
    if tag in {"a", "img"} and given.get("title"):
        kept.append(("title", given["title"]))
    return tuple(kept)


class _TreeBuilder(HTMLParser):
    """Parses a fragment into `_Element`s, keeping only allowed tags (others are left out
    and their content kept) and closing whatever the fragment left open."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", (), [])
        self.open: list[_Element] = [self.root]
        # Elements whose own tag is not written; their end tags are ignored.
        self.unwrapped: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag not in VOID_TAGS:
                self.dropping += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _DROPPED_WITH_CONTENT or (tag == "a" and classes & _DROPPED_CLASSES):
            self.dropping = 0 if tag in VOID_TAGS else 1
            return
        attributes = _kept_attributes(tag, attrs) if tag in ALLOWED_TAGS else None
        if attributes is None:
            if tag not in VOID_TAGS:
                self.unwrapped.append(tag)
            return
        element = _Element(tag, attributes, [], self.root)
        self.open[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.dropping:
            self.dropping -= 1
            return
        if self.unwrapped and self.unwrapped[-1] == tag:
            self.unwrapped.pop()
            return
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if not self.dropping and data:
            self.open[-1].children.append(data)


def _parse(html: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _serialise(node) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    if isinstance(node, _InlineRun):
        return "".join(_serialise(child) for child in node.nodes)
    return node.start_tag() + "".join(_serialise(child) for child in node.children) + node.end_tag()


# --- blocks ---------------------------------------------------------------------------------


@dataclass
class _InlineRun:
    """Consecutive text and inline elements within a block: what words are compared in."""

    nodes: list
    preserve_space: bool = False


def _is_inline(node) -> bool:
    return isinstance(node, str) or node.tag in INLINE_TAGS


def _items(element: _Element) -> list:
    """An element's children as blocks and runs of inline content. Whitespace between blocks
    is left out (it shows nothing); inside `<pre>` every space counts."""
    preserve = element.tag == "pre"
    items: list = []
    run: list = []

    def end_run():
        if run and (preserve or not all(isinstance(n, str) and not n.strip() for n in run)):
            items.append(_InlineRun(list(run), preserve))
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
    return "inline" if isinstance(item, _InlineRun) else item.tag + str(item.attributes)


# --- words ----------------------------------------------------------------------------------

_SPACE_OR_WORD = re.compile(r"\s+|\S+")


class _Piece(NamedTuple):
    """Text (or a `<br>` or `<img>`) with the inline elements it stands inside."""

    stack: tuple[_Element, ...]
    stack_key: tuple
    text: str
    void: _Element | None


class _Token(NamedTuple):
    """A word, or the space between two words, as pieces: a word can straddle formatting
    ("**Board**'s"), and is compared and marked as one."""

    is_space: bool
    pieces: tuple[_Piece, ...]
    key: tuple


def _same_element(one: _Element, other: _Element) -> bool:
    """Whether two inline elements are written as one: the same element, or a link or
    emphasis in one version and its like in the other (so a link around a changed word stays
    one link). Two links side by side in one version stay two."""
    if one is other:
        return True
    return one.fragment is not other.fragment and one.key == other.key


def _shared_depth(one: tuple[_Element, ...], other: tuple[_Element, ...]) -> int:
    """How many inline elements, from the outside in, two stacks have in common."""
    depth = 0
    while depth < min(len(one), len(other)) and _same_element(one[depth], other[depth]):
        depth += 1
    return depth


_SPACE_KEY = ("space", False)
_LINE_BREAK_KEY = ("space", True)


def _tokens(run: _InlineRun) -> list[_Token]:
    """The run's words and spaces, alternating."""
    groups: list[tuple[bool, list[_Piece]]] = []

    def add(is_space: bool, piece: _Piece) -> None:
        if groups and groups[-1][0] == is_space:
            groups[-1][1].append(piece)
        else:
            groups.append((is_space, [piece]))

    def walk(nodes, stack, stack_key):
        for node in nodes:
            if isinstance(node, str):
                parts = _SPACE_OR_WORD.findall(node)
                if not parts:
                    continue
                add(parts[0].isspace(), _Piece(stack, stack_key, parts[0], None))
                # Within one text, words and spaces alternate: no more merging to do.
                groups.extend(
                    (part[0].isspace(), [_Piece(stack, stack_key, part, None)])
                    for part in parts[1:]
                )
            elif node.tag in VOID_TAGS:
                add(node.tag == "br", _Piece(stack, stack_key, "", node))
            else:
                walk(node.children, (*stack, node), (*stack_key, node.key))

    walk(run.nodes, (), ())
    preserve = run.preserve_space
    if not preserve:
        # Spaces at the start and end of a block show nothing (Python-Markdown leaves some).
        while groups and groups[0][0] and all(piece.void is None for piece in groups[0][1]):
            groups.pop(0)
        while groups and groups[-1][0] and all(piece.void is None for piece in groups[-1][1]):
            groups.pop()
    tokens = []
    for is_space, pieces in groups:
        if is_space and not preserve:
            # Spaces collapse when shown; only a line break is a difference worth marking.
            has_break = pieces[0].void is not None or any(
                piece.void is not None for piece in pieces[1:]
            )
            key = _LINE_BREAK_KEY if has_break else _SPACE_KEY
        else:
            key = tuple(
                (piece.stack_key, piece.text, piece.void and piece.void.start_tag())
                for piece in pieces
            )
        tokens.append(_Token(is_space, tuple(pieces), key))
    return tokens


class _Writer:
    """Writes pieces with their inline elements opened and closed as needed, and the change
    marks innermost, so a link or emphasis stays one element around a changed word."""

    def __init__(self):
        self.parts: list[str] = []
        self.stack: tuple[_Element, ...] = ()
        self.mark: str | None = None

    def move_to(self, stack: tuple[_Element, ...], mark: str | None) -> None:
        if stack is self.stack and mark == self.mark:
            return
        common = _shared_depth(stack, self.stack)
        if common == len(stack) == len(self.stack) and mark == self.mark:
            return
        if self.mark:
            self.parts.append(f"</{self.mark}>")
            self.mark = None
        self.parts += [element.end_tag() for element in reversed(self.stack[common:])]
        self.parts += [element.start_tag() for element in stack[common:]]
        self.stack = stack
        if mark:
            self.parts.append(f"<{mark}>")
            self.mark = mark

    def token(self, token: _Token, mark: str | None) -> None:
        for piece in token.pieces:
            self.move_to(piece.stack, mark)
            if piece.void is not None:
                self.parts.append(piece.void.start_tag())
            else:
                self.parts.append(escape(piece.text, quote=False))

    def separator(self, before: _Token, after: _Token) -> None:
        """A space between a removed run and the added run that follows it, inside whatever
        inline elements both stand in."""
        common = _shared_depth(before.pieces[-1].stack, after.pieces[0].stack)
        self.move_to(self.stack[:common], None)
        self.parts.append(" ")

    def html(self) -> str:
        self.move_to((), None)
        return "".join(self.parts)


def _trimmed(tokens: list[_Token]) -> tuple[list[_Token], list[_Token], list[_Token]]:
    """A changed run as the spaces before it, its words (and the spaces between them), and
    the spaces after it: marks cover words, never the spaces around them."""
    start, end = 0, len(tokens)
    while start < end and tokens[start].is_space:
        start += 1
    while end > start and tokens[end - 1].is_space:
        end -= 1
    return tokens[:start], tokens[start:end], tokens[end:]


def _write_change(writer: _Writer, removed: list[_Token], added: list[_Token]) -> None:
    removed_before, removed_words, removed_after = _trimmed(removed)
    added_before, added_words, added_after = _trimmed(added)
    for token in added_before or removed_before:
        writer.token(token, None)
    for token in removed_words:
        writer.token(token, "del")
    if removed_words and added_words:
        writer.separator(removed_words[-1], added_words[0])
    for token in added_words:
        writer.token(token, "ins")
    for token in added_after or removed_after:
        writer.token(token, None)


def _diff_words(old: list[_Token], new: list[_Token], budget: Budget) -> str:
    writer = _Writer()
    old_keys, new_keys = [token.key for token in old], [token.key for token in new]
    codes = _merge_short_equal_runs(
        opcodes(old_keys, new_keys, budget), old, lambda token: token.is_space
    )
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            for token in new[j1:j2]:
                writer.token(token, None)
        else:
            _write_change(writer, old[i1:i2], new[j1:j2])
    return writer.html()


# --- putting blocks and words together ------------------------------------------------------


def _marked_whole(item, mark: str) -> str:
    """A block or run that is only in one of the versions, its words all marked."""
    if isinstance(item, _InlineRun):
        tokens = _tokens(item)
        writer = _Writer()
        if mark == "del":
            _write_change(writer, tokens, [])
        else:
            _write_change(writer, [], tokens)
        return writer.html()
    if item.tag in VOID_TAGS:
        return item.start_tag()
    inside = "".join(_marked_whole(child, mark) for child in _items(item))
    return item.start_tag() + inside + item.end_tag()


def _diff_pair(old, new, budget: Budget) -> str:
    """Two blocks of the same kind, one continuing the other."""
    if isinstance(new, _InlineRun):
        return _diff_words(_tokens(old), _tokens(new), budget)
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
    parts = _diffed_items(_items(_parse(old_html)), _items(_parse(new_html)), budget)
    return _folded(parts) if fold else "".join(html for html, _ in parts)


def _plain_change(removed: list[str], added: list[str]) -> str:
    """`_write_change` for plain text, whose tokens are strings."""

    def trimmed(tokens):
        start, end = 0, len(tokens)
        while start < end and tokens[start].isspace():
            start += 1
        while end > start and tokens[end - 1].isspace():
            end -= 1
        return "".join(tokens[:start]), "".join(tokens[start:end]), "".join(tokens[end:])

    removed_before, removed_words, removed_after = trimmed(removed)
    added_before, added_words, added_after = trimmed(added)
    parts = [escape(added_before or removed_before)]
    if removed_words:
        parts.append(f"<del>{escape(removed_words)}</del>")
    if removed_words and added_words:
        parts.append(" ")
    if added_words:
        parts.append(f"<ins>{escape(added_words)}</ins>")
    parts.append(escape(added_after or removed_after))
    return "".join(parts)


def diff_text(old: str, new: str, budget: Budget) -> str:
    """Two plain texts (such as Markdown source) compared line by line, then word by word in
    the lines that changed: escaped, with `<del>` and `<ins>` on word boundaries as in
    `diff_html`, for showing in a `<pre>`. Quicker than `diff_html`: its words are strings."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts = []
    for tag, i1, i2, j1, j2 in opcodes(old_lines, new_lines, budget):
        if tag == "equal":
            parts.append(escape("".join(new_lines[j1:j2])))
            continue
        removed = _SPACE_OR_WORD.findall("".join(old_lines[i1:i2]))
        added = _SPACE_OR_WORD.findall("".join(new_lines[j1:j2]))
        codes = _merge_short_equal_runs(opcodes(removed, added, budget), removed, str.isspace)
        for word_tag, k1, k2, m1, m2 in codes:
            if word_tag == "equal":
                parts.append(escape("".join(added[m1:m2])))
            else:
                parts.append(_plain_change(removed[k1:k2], added[m1:m2]))
    return "".join(parts)
