"""Search text in and out: the user's words made into plain terms, and highlighted snippets made
HTML-safe.

Whatever is typed in the box is reduced to plain words (letters and digits), so no query
syntax of either database (FTS5's `"`, `*`, `NEAR(`, `-`, `:`; tsquery's `&`, `|`, `!`) ever
reaches it. The databases mark matches with two private-use characters that indexed text
never contains (`clean_text` removes them); `highlighted` escapes the text first and only then
turns those characters into `<mark>` elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MARK_START = "\ue000"
MARK_END = "\ue001"
# PostgreSQL's text search parser takes `<…>` for markup and `&…;` for entities and skips them,
# words inside included: its backend hands the text over with these three characters in
# their place (private-use characters, which it reads as spaces), and `highlighted` puts
# them back.
PARSER_STAND_INS = {"<": "\ue002", ">": "\ue003", "&": "\ue004"}
RESTORE_STAND_INS = str.maketrans({stand_in: raw for raw, stand_in in PARSER_STAND_INS.items()})

# Only this much of what was typed is read, and at most this many distinct words are searched
# for: a longer query is cut, and the page says so.
MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 8
MAX_TERM_CHARACTERS = 40

# Letters and digits in any script; everything else (punctuation, query syntax, the
# underscore) separates words, as both databases' tokenisers do.
WORD = re.compile(r"[^\W_]+")
MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
CONTROL_CHARACTERS = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{MARK_START}{MARK_END}{''.join(PARSER_STAND_INS.values())}]"
)
WHITESPACE = re.compile(r"\s+")

# Words too common to search for: PostgreSQL's English configuration ignores these (the
# Snowball list), so they are left out here too, for both databases to answer alike (FTS5
# would otherwise demand them, every word of a query being required).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with you your yours yourself yourselves
    s""".split()
)


@dataclass(frozen=True)
class Terms:
    """The words a query searches for, and whether some of what was typed was left out."""

    words: tuple[str, ...]
    shortened: bool = False

    def __bool__(self) -> bool:
        return bool(self.words)

    def __str__(self) -> str:
        return " ".join(self.words)


def plain_terms(text: str | None) -> Terms:
    """The distinct words of `text`, lower-cased, in order, without STOP_WORDS: at most
    MAX_TERMS of them, each at most MAX_TERM_CHARACTERS long, read from its first
    MAX_QUERY_CHARACTERS characters."""
    text = text or ""
    shortened = len(text) > MAX_QUERY_CHARACTERS
    words: list[str] = []
    for match in WORD.finditer(text[:MAX_QUERY_CHARACTERS]):
        word = match.group().lower()
        if len(word) > MAX_TERM_CHARACTERS:
            word, shortened = word[:MAX_TERM_CHARACTERS], True
        if word in words or word in STOP_WORDS:
            continue
        if len(words) == MAX_TERMS:
            shortened = True
            break
        words.append(word)
    return Terms(tuple(words), shortened)


def clean_text(text: str) -> str:
    """Text as it is indexed: one line, no control characters, none of the characters the
    backends give a meaning (match markers, stand-ins)."""
    return WHITESPACE.sub(" ", CONTROL_CHARACTERS.sub(" ", text or "")).strip()


def highlighted(marked_text: str) -> SafeString:
    """Text from the database with its matches marked, as safe HTML: everything escaped, each
    match in a `<mark>`. An unpaired marker (a match cut by a snippet's edge) is dropped."""
    escaped = escape((marked_text or "").translate(RESTORE_STAND_INS))
    marked = MARKED.sub(lambda match: f"<mark>{match.group(1)}</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_END, ""))
