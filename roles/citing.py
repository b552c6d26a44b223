"""How a statement's citations read in one short line: "Sources: GGI paper 4.1.2; Monitor 2014, p3".

The GGI paper's paragraphs come first, then each underlying source with its page, each part
linking to the source's page. Citations must come with their source already loaded
(`roles.queries.cited`), so that formatting them never runs a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from .models import Citation, Source

PAPER_LABEL = "GGI paper"


@dataclass(frozen=True)
class CitationPart:
    label: str
    url: str


def citation_parts(
    citations: Iterable[Citation], primary: Source | None = None
) -> list[CitationPart]:
    """The distinct parts of a citation line, in reading order, without duplicates.

    `primary` is the GGI paper, used to link its paragraph numbers when none of the citations
    is to the paper itself; without it those paragraphs are linked to the bibliography.
    """
    citations = list(citations)
    primary = next((c.source for c in citations if c.source.is_primary), primary)
    paper_url = primary.get_absolute_url() if primary else reverse("roles:sources")
    paragraphs = list(dict.fromkeys(c.paragraph for c in citations if c.paragraph))
    parts = []
    if paragraphs:
        parts.append(CitationPart(f"{PAPER_LABEL} {', '.join(paragraphs)}", paper_url))
    seen = set()
    for citation in citations:
        source = citation.source
        if source.is_primary:
            continue
        label = source.short_name + (f", {citation.locator}" if citation.locator else "")
        if label not in seen:
            seen.add(label)
            parts.append(CitationPart(label, source.get_absolute_url()))
    return parts
