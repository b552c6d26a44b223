"""What is indexed: the national guide, item by item, and each published pack version, section
by section. Each document says where a result links to.

The national documents link to where the explainer shows each item, using the explainer's
own anchors (tests/search/test_documents.py checks that every one exists on its page). A pack
version's documents are read from its `rendered_html`, the sanitised HTML readers see, so the
index holds the words of the page rather than Markdown source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.urls import reverse

from induction.models import PackVersion
from roles.evidence import finding_url
from roles.models import (
    BoardQuestion,
    Finding,
    GlossaryTerm,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)
from roles.queries import relationship_url

from .models import SearchDocument
from .text import clean_text

Group = SearchDocument.Group


@dataclass(frozen=True)
class Document:
    """One searchable piece of text: `key` names its source, so indexing it again replaces it.
    `current` is false for the sections of a pack version that a newer one has replaced."""

    key: str
    group: str
    label: str
    title: str
    body: str
    url: str = ""
    anchor: str = ""
    pack_version_id: int | None = None
    current: bool = True


def _national(kind: str, pk: int, label: str, title: str, body: str, url: str) -> Document:
    return Document(
        key=f"national:{kind}:{pk}",
        group=Group.NATIONAL,
        label=label,
        title=clean_text(title),
        body=clean_text(body),
        url=url,
    )


def national_documents() -> Iterator[Document]:
    """Every item of the national guide, in a fixed number of queries."""
    for role in Role.objects.all():
        yield _national("role", role.pk, "Role", role.name, role.summary, role.get_absolute_url())
    for item in Responsibility.objects.select_related("role"):
        url = f"{item.role.get_absolute_url()}#responsibility-{item.slug}"
        label = f"Responsibility of the {item.role.name}"
        yield _national("responsibility", item.pk, label, item.title, item.description, url)
    for line in ReportingLine.objects.select_related("from_role", "to_role"):
        title = f"{line.from_role.name} to {line.to_role.name} ({line.get_kind_display().lower()})"
        url = f"{line.from_role.get_absolute_url()}#reporting-lines"
        yield _national("reportingline", line.pk, "Reporting line", title, line.description, url)
    relationships = Relationship.objects.select_related("role", "other_role").prefetch_related(
        "good_practice"
    )
    for relationship in relationships:
        # What good looks like is shown with its relationship, so it is searched with it.
        points = " ".join(point.text for point in relationship.good_practice.all())
        yield _national(
            "relationship",
            relationship.pk,
            "Working relationship",
            f"{relationship.role.name} and {relationship.other_role.name}",
            f"{relationship.summary} {points}",
            relationship_url(relationship),
        )
    for finding in Finding.objects.all():
        body = " ".join(part for part in (finding.text, finding.statistic, finding.quote) if part)
        yield _national(
            "finding",
            finding.pk,
            f"Research finding: {finding.get_kind_display()}",
            finding.title,
            body,
            finding_url(finding),
        )
    for question in BoardQuestion.objects.all():
        url = f"{reverse('roles:for_neds')}#question-{question.pk}"
        yield _national(
            "boardquestion",
            question.pk,
            "Question for non-executive directors",
            question.question,
            question.why_it_matters,
            url,
        )
    for term in GlossaryTerm.objects.all():
        url = f"{reverse('roles:glossary')}#{term.anchor}"
        title = f"{term.abbreviation}: {term.term}"
        yield _national("glossaryterm", term.pk, "Glossary", title, term.definition, url)
    for source in Source.objects.all():
        title = f"{source.authors} ({source.year}), {source.title}"
        yield _national(
            "source", source.pk, "Source", title, source.summary, source.get_absolute_url()
        )


# Elements whose text never reaches a reader as prose (a diagram's drawing: the list beside
# it says the same in words), and inline elements, which join words rather than part them.
SKIPPED_ELEMENTS = {"svg", "script", "style", "template"}
INLINE_ELEMENTS = {
    "a", "abbr", "b", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass
class _Section:
    anchor: str
    title: list[str]
    body: list[str]


class _SectionText(HTMLParser):
    """The title and text of each `<section class="app-pack-section" id=…>` of a pack body
    (the shape induction/rendering.py gives it), with block elements parted by spaces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[_Section] = []
        self.current: _Section | None = None
        self.section_depth = 0
        self.skip_depth = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.skip_depth or tag in SKIPPED_ELEMENTS:
            if tag not in VOID_ELEMENTS:
                self.skip_depth += 1
            return
        classes = (attributes.get("class") or "").split()
        if tag == "section":
            if self.current is None and "app-pack-section" in classes:
                self.current = _Section(attributes.get("id") or "", [], [])
                self.sections.append(self.current)
            if self.current is not None:
                self.section_depth += 1
        elif self.current is not None and tag == "h2" and "app-pack-section__title" in classes:
            self.in_title = True
        self._part(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.skip_depth:
            self._part(tag)

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag not in VOID_ELEMENTS:
                self.skip_depth -= 1
            return
        self._part(tag)
        if tag == "h2":
            self.in_title = False
        elif tag == "section" and self.current is not None:
            self.section_depth -= 1
            if self.section_depth == 0:
                self.current = None

    def handle_data(self, data):
        if self.skip_depth or self.current is None:
            return
        (self.current.title if self.in_title else self.current.body).append(data)

    def _part(self, tag):
        if self.current is not None and tag not in INLINE_ELEMENTS:
            (self.current.title if self.in_title else self.current.body).append(" ")


def pack_version_documents(version: PackVersion, *, current: bool = True) -> list[Document]:
    """One document per section of the version, as its readers see it; `current` says whether
    the version is its pack's newest."""
    parser = _SectionText()
    parser.feed(version.rendered_html or "")
    parser.close()
    documents = []
    for section in parser.sections:
        if not section.anchor:
            continue
        documents.append(
            Document(
                key=f"pack-version:{version.pk}:{section.anchor}",
                group=Group.PACK,
                label=version.pack.title,
                title=clean_text("".join(section.title)),
                body=clean_text("".join(section.body)),
                anchor=section.anchor,
                pack_version_id=version.pk,
                current=current,
            )
        )
    return documents
