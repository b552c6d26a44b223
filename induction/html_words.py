"""The words of formatted text compared, and written back inside their formatting.

A run of text and inline elements (a paragraph's content, a table cell's) is split into words
and the spaces between them; a word can straddle formatting ("**Board**'s") and is compared
and marked as one. The writer opens and closes the inline elements each word stands in as
needed, with the change marks innermost, so that a link or emphasis around a changed word
stays one element.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from operator import attrgetter
from typing import NamedTuple

from .html_tree import VOID_TAGS, Element
from .text_diff import SPACE_OR_WORD, Budget, diff_words, write_change


@dataclass
class InlineRun:
    """Consecutive text and inline elements within a block: what words are compared in."""

    nodes: list
    preserve_space: bool = False


class _Piece(NamedTuple):
    """Text (or a `<br>` or `<img>`) with the inline elements it stands inside."""

    stack: tuple[Element, ...]
    stack_key: tuple
    text: str
    void: Element | None


class _Token(NamedTuple):
    """A word, or the space between two words, as pieces: a word can straddle formatting
    ("**Board**'s"), and is compared and marked as one."""

    is_space: bool
    pieces: tuple[_Piece, ...]
    key: tuple


def _same_element(one: Element, other: Element) -> bool:
    """Whether two inline elements are written as one: the same element, or a link or
    emphasis in one version and its like in the other (so a link around a changed word stays
    one link). Two links side by side in one version stay two."""
    if one is other:
        return True
    return one.fragment is not other.fragment and one.key == other.key


def _shared_depth(one: tuple[Element, ...], other: tuple[Element, ...]) -> int:
    """How many inline elements, from the outside in, two stacks have in common."""
    depth = 0
    while depth < min(len(one), len(other)) and _same_element(one[depth], other[depth]):
        depth += 1
    return depth


_SPACE_KEY = ("space", False)
_LINE_BREAK_KEY = ("space", True)


def _tokens(run: InlineRun) -> list[_Token]:
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
                parts = SPACE_OR_WORD.findall(node)
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
    """Writes tokens with their inline elements opened and closed as needed, and the change
    marks innermost, so a link or emphasis stays one element around a changed word."""

    def __init__(self):
        self.parts: list[str] = []
        self.stack: tuple[Element, ...] = ()
        self.mark: str | None = None

    def move_to(self, stack: tuple[Element, ...], mark: str | None) -> None:
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

    def tokens(self, tokens: Sequence[_Token], mark: str | None) -> None:
        for token in tokens:
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


_is_space = attrgetter("is_space")


def diff_runs(old: InlineRun, new: InlineRun, budget: Budget) -> str:
    """The new run as HTML, its words changed since the old run marked `<del>` and `<ins>`."""
    writer = _Writer()
    diff_words(
        _tokens(old),
        _tokens(new),
        budget,
        key=attrgetter("key"),
        is_space=_is_space,
        write=writer.tokens,
        separate=writer.separator,
    )
    return writer.html()


def marked_run(run: InlineRun, mark: str) -> str:
    """A run that is only in one of the versions as HTML, its words all marked `mark`
    ("del" or "ins")."""
    tokens = _tokens(run)
    removed, added = (tokens, []) if mark == "del" else ([], tokens)
    writer = _Writer()
    write_change(
        removed, added, is_space=_is_space, write=writer.tokens, separate=writer.separator
    )
    return writer.html()
