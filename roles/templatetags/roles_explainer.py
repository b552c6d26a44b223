"""Template helpers for the explainer: citation lines and glossary links.

    {% load roles_explainer %}
    {% citations statement %}               a "Source: …" line for any cited object
    {{ finding.text|glossary_links:glossary }}   escaped text with acronyms linked
"""

from django import template
from django.utils.html import escape

from ..citing import citation_parts

register = template.Library()


@register.inclusion_tag("roles/includes/citations.html", takes_context=True)
def citations(context, statement):
    """Render the citation line of `statement` (anything with a prefetched `citations`).

    Uses `primary_source` from the page context, when there is one, to link the GGI
    paper's paragraph numbers.
    """
    parts = citation_parts(statement.citations.all(), context.get("primary_source"))
    return {"parts": parts}


@register.filter
def glossary_links(text, glossary):
    """Escape plain `text`, then link the first use of each acronym in `glossary`.

    `glossary` is a `roles.glossary.Glossary` (views put one in the context as `glossary`);
    without one the text is only escaped. Never pass HTML: it is escaped like any text.
    """
    if not glossary:
        return escape("" if text is None else text)
    return glossary.link(text)
