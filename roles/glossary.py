"""Linking known acronyms in plain text to the glossary.

A `Glossary` is built from the GlossaryTerm rows once per request (`Glossary.for_request`)
and passed to the `glossary_links` template filter, so linking costs no query per use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import GlossaryTerm


@dataclass(frozen=True)
class Glossary:
    """The known acronyms, their expansions and the URL of the glossary page."""

    expansions: dict[str, str]
    url: str

    @classmethod
    def from_terms(cls, terms: Iterable[GlossaryTerm]) -> Glossary:
        return cls({t.abbreviation: t.term for t in terms}, reverse("roles:glossary"))

    @classmethod
    def for_request(cls, request) -> Glossary:
        """The glossary, loaded with one query the first time a request asks for it."""
        glossary = getattr(request, "_roles_glossary", None)
        if glossary is None:
            glossary = cls.from_terms(GlossaryTerm.objects.only("abbreviation", "term"))
            request._roles_glossary = glossary
        return glossary

    @cached_property
    def pattern(self) -> re.Pattern | None:
        if not self.expansions:
            return None
        # Longest first so that, say, "FMLM" wins over a shorter term it contains.
        names = sorted(self.expansions, key=len, reverse=True)
        alternatives = "|".join(re.escape(name) for name in names)
        # Whole words only, case-sensitive; a plural "s" (NEDs, MDs) counts as the same word.
        return re.compile(rf"(?<![\w&#])({alternatives})(s?)(?!\w)")

    def link(self, text: str) -> SafeString:
        """Escape `text`, then link the first use of each known acronym to the glossary.

        Matching runs on the raw text and every piece of it is escaped on output, so an
        acronym can never be found inside an HTML entity or produce unescaped markup.
        """
        text = "" if text is None else str(text)
        pattern = self.pattern
        if pattern is None:
            return escape(text)
        pieces: list[str] = []
        linked: set[str] = set()
        position = 0
        for match in pattern.finditer(text):
            abbreviation, plural = match.group(1), match.group(2)
            if abbreviation in linked:
                continue
            linked.add(abbreviation)
            pieces.append(escape(text[position : match.start()]))
            pieces.append(
                format_html(
                    '<a href="{}#term-{}"><abbr title="{}">{}</abbr>{}</a>',
                    self.url,
                    abbreviation.lower(),
                    self.expansions[abbreviation],
                    abbreviation,
                    plural,
                )
            )
            position = match.end()
        pieces.append(escape(text[position:]))
        return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
