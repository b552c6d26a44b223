"""The handbook: the HTML document WeasyPrint lays out for a published version.

The body is the version's frozen `rendered_html` (the same `pack_body.html` partial the
reading view shows) inside `templates/induction/pdf/handbook.html` with `static/css/pdf.css`,
so the HTML and the PDF cannot drift. Dates come from the publication, so the same version
always gives the same document. Also names the file a reader downloads.
"""

from __future__ import annotations

from datetime import UTC

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from ..models import PackVersion
from ..snapshot import contents


def download_filename(version: PackVersion) -> str:
    """For example "northshire-medical-director-induction-v2.pdf"."""
    pack = version.pack
    return f"{pack.trust.slug}-{slugify(pack.title)}-v{version.number}.pdf"


def _w3c_datetime(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sources_by_section(content: dict) -> list[dict]:
    """The citations the frozen content carries, per section, numbered for the endnotes.

    Each national item in the snapshot may carry `citations` (a list of strings); items sit in
    a section's lists (responsibilities, posts, checklist…). Returns
    `[{"title", "anchor", "citations": [str, …]}]` for sections that cite anything, each
    citation once per section, in the order met.
    """
    result = []
    for section in content.get("sections", []):
        seen: list[str] = []
        for citation in _citations_in(section):
            if citation not in seen:
                seen.append(citation)
        if seen:
            result.append(
                {"title": section.get("title", ""), "anchor": section.get("anchor", ""),
                 "citations": seen}
            )
    return result


def _citations_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "citations" and isinstance(item, list):
                yield from (str(citation) for citation in item if citation)
            else:
                yield from _citations_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _citations_in(item)


def handbook_html(version: PackVersion) -> str:
    """The complete HTML document WeasyPrint lays out for `version`."""
    pack = version.pack
    trust = pack.trust
    return render_to_string(
        "induction/pdf/handbook.html",
        {
            "version": version,
            "pack": pack,
            "trust": trust,
            # The same contents list the reading view shows (the snapshot owns its shape).
            "sections": contents(version.content),
            "sources": sources_by_section(version.content),
            # Sanitised once, at publication (induction/safe_markdown.py), and frozen since.
            "body": mark_safe(version.rendered_html),  # noqa: S308
            "document_title": f"{pack.title} – {trust.name} – version {version.number}",
            "created": _w3c_datetime(version.published_at),
        },
    )
