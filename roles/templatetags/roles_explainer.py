"""Template helpers for the explainer: citation lines and glossary links.

    {% load roles_explainer %}
    {% citations statement %}               a "Source: …" line for any cited object
    {{ finding.text|glossary_links:glossary }}   escaped text with acronyms linked
"""

from django import template
from django.utils.html import escape

from ..citing import citation_parts
from ..models import Provenance

register = template.Library()


@register.inclusion_tag("roles/includes/citations.html", takes_context=True)
def citations(context, statement):
    """Render where `statement` comes from, and the later developments attached to it.

    From the paper: its citation line (`statement.citations` prefetched), linking each paragraph
    through `primary_source` from the page context. The portal's own explanation: said so, with
    no citation. A later development: the attached notes carry the source. The notes come from
    `developments` in the page context (`roles.developments.Developments`), read in one query
    for the whole page the first time a statement asks.
    """
    provenance = getattr(statement, "provenance", Provenance.PAPER)
    parts = []
    if provenance == Provenance.PAPER:
        parts = citation_parts(statement.citations.all(), context.get("primary_source"))
    developments = context.get("developments")
    notes = developments.for_statement(statement) if developments else []
    return {
        "provenance": provenance,
        "parts": parts,
        "notes": notes,
        "glossary": context.get("glossary"),
    }


@register.filter
def glossary_links(text, glossary):
    """Escape plain `text`, then link the first use of each acronym in `glossary`.

    `glossary` is a `roles.glossary.Glossary` (views put one in the context as `glossary`);
    without one the text is only escaped. Never pass HTML: it is escaped like any text.
    """
    if not glossary:
        return escape("" if text is None else text)
    return glossary.link(text)
