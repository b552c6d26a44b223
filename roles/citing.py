"""How a statement's citations read in one short line: "Sources: GGI paper 4.1.2; Monitor 2014, p3".

The GGI paper's paragraphs come first, each linking to that paragraph on the paper's source
page, then each underlying source with its page, linking to that page's group on the source's
page, never to the top of a long page. Citations must come with their source already loaded
(`roles.queries.cited`), so that formatting them never runs a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import slugify

from .models import PAPER_LABEL, Citation, Source


@dataclass(frozen=True)
class CitationPart:
    """One part of a citation line. The paper's part also links each of its paragraphs."""

    label: str
    url: str
    paragraphs: tuple[tuple[str, str], ...] = ()

    @property
    def paper_label(self) -> str:
        """What stands before the paper's linked paragraph numbers: "GGI paper"."""
        return PAPER_LABEL


def paragraph_anchor(paragraph: str) -> str:
    """The id of a paragraph's group on the paper's source page, e.g. paragraph-4-1-2."""
    return "paragraph-" + paragraph.replace(".", "-")


def page_anchor(locator: str) -> str:
    """The id of a page's group on an underlying source's page, e.g. page-p22-3."""
    return "page-" + (slugify(locator) or "unpaged")


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
        if primary:
            links = tuple((p, f"{paper_url}#{paragraph_anchor(p)}") for p in paragraphs)
        else:
            links = tuple((p, paper_url) for p in paragraphs)
        parts.append(
            CitationPart(f"{PAPER_LABEL} {', '.join(paragraphs)}", links[0][1], links)
        )
    seen = set()
    for citation in citations:
        source = citation.source
        if source.is_primary:
            continue
        label = source.short_name + (f", {citation.locator}" if citation.locator else "")
        if label not in seen:
            seen.add(label)
            url = f"{source.get_absolute_url()}#{page_anchor(citation.locator)}"
            parts.append(CitationPart(label, url))
    return parts
