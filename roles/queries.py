"""What each explainer page reads, in a fixed number of queries however much data there is.

Every cited statement comes with its citations and their sources prefetched (`cited`), so the
templates can print citation lines without touching the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse

from .citing import page_anchor, paragraph_anchor
from .evidence import PART_OF_KIND, READING_ORDER, EvidencePart, finding_url
from .models import (
    MEDICAL_DIRECTOR_SLUG,
    PAPER_LABEL,
    BoardQuestion,
    Citation,
    DevelopmentLink,
    Finding,
    GlossaryTerm,
    GoodPractice,
    LaterDevelopment,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

NON_EXECUTIVE_DIRECTOR_SLUG = "non-executive-director"


def cited(queryset, lookup: str = "citations"):
    """`queryset` with the citations at `lookup` and their sources loaded in one more query."""
    return queryset.prefetch_related(
        Prefetch(lookup, queryset=Citation.objects.select_related("source"))
    )


def primary_source() -> Source | None:
    """The GGI paper itself, if it has been loaded."""
    return Source.objects.filter(is_primary=True).order_by("id").first()


def _relationships(condition: Q) -> list[Relationship]:
    queryset = Relationship.objects.filter(condition).select_related("role", "other_role")
    return list(
        cited(queryset).prefetch_related(
            Prefetch("good_practice", queryset=cited(GoodPractice.objects.all()))
        )
    )


@dataclass
class RolePage:
    """One role with what it does, whom it answers to and how it works with others."""

    role: Role
    core: list[Responsibility]
    delegated: list[Responsibility]
    statutory: list[Responsibility]
    board_reports: list[Responsibility]
    lines: list[ReportingLine]
    relationships: list[Relationship]
    # The roles the MD works with, each described on the MD's relationships page.
    partners: list[Role] = field(default_factory=list)

    @property
    def is_medical_director(self) -> bool:
        return self.role.slug == MEDICAL_DIRECTOR_SLUG


def role_page(slug: str) -> RolePage:
    """The data of a role's page; raises Role.DoesNotExist for an unknown slug."""
    role = cited(Role.objects.filter(slug=slug)).get()
    responsibilities = list(cited(role.responsibilities.all()))
    lines = ReportingLine.objects.filter(Q(from_role=role) | Q(to_role=role))
    partners: list[Role] = []
    if slug == MEDICAL_DIRECTOR_SLUG:
        # The MD's relationships have a page of their own (`medical_director_relationships`);
        # the MD's page only names the roles, linking to it.
        relationships = []
        partners = [
            relationship.other_role
            for relationship in Relationship.objects.filter(role=role).select_related("other_role")
        ]
    else:
        relationships = _relationships(Q(role=role) | Q(other_role=role))
    return RolePage(
        role=role,
        core=[r for r in responsibilities if r.kind == Responsibility.Kind.CORE],
        delegated=[r for r in responsibilities if r.kind == Responsibility.Kind.DELEGATED],
        statutory=[r for r in responsibilities if r.kind == Responsibility.Kind.STATUTORY],
        board_reports=[r for r in responsibilities if r.kind == Responsibility.Kind.BOARD_REPORT],
        lines=list(cited(lines.select_related("from_role", "to_role"))),
        relationships=relationships,
        partners=partners,
    )


def medical_director_relationships() -> list[Relationship]:
    """How the Medical Director works with each other role, with what good looks like."""
    return _relationships(Q(role__slug=MEDICAL_DIRECTOR_SLUG))


def relationship_url(relationship: Relationship) -> str:
    """Where the explainer shows a relationship: the MD's own page for it, or the role's page."""
    if relationship.role.slug == MEDICAL_DIRECTOR_SLUG:
        page = reverse("roles:relationships")
    else:
        page = relationship.role.get_absolute_url()
    return f"{page}#relationship-{relationship.other_role.slug}"


@dataclass
class Theme:
    """The findings of one kind, as a section of the evidence page."""

    kind: str
    label: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"theme-{self.kind.replace('_', '-')}"


@dataclass
class ClinicalPracticeDebate:
    """The benefits and drawbacks of keeping clinical practice, read side by side."""

    benefits: list[Finding]
    drawbacks: list[Finding]
    kind = "clinical_practice"
    label = "Keeping clinical practice: the benefits and the drawbacks"
    anchor = "theme-clinical-practice"


DEBATE_KINDS = (Finding.Kind.CLINICAL_PRACTICE_BENEFIT, Finding.Kind.CLINICAL_PRACTICE_DRAWBACK)


def _sections(findings, kind_order) -> list[Theme | ClinicalPracticeDebate]:
    """Findings grouped by theme in `kind_order` (other kinds after); empty themes left out.

    The benefits and drawbacks of keeping clinical practice make one section, the debate.
    """
    themes = {str(kind): Theme(str(kind), Finding.Kind(kind).label) for kind in kind_order}
    for finding in findings:
        themes.setdefault(finding.kind, Theme(finding.kind, finding.get_kind_display()))
        themes[finding.kind].findings.append(finding)
    debate_kinds = [str(kind) for kind in DEBATE_KINDS]
    benefits, drawbacks = (themes[k].findings if k in themes else [] for k in debate_kinds)
    sections: list[Theme | ClinicalPracticeDebate] = []
    debate_placed = False
    for kind, theme in themes.items():
        if kind in debate_kinds:
            # The debate reads where the first of its two kinds falls in the order.
            if (benefits or drawbacks) and not debate_placed:
                sections.append(ClinicalPracticeDebate(benefits, drawbacks))
                debate_placed = True
        elif theme.findings:
            sections.append(theme)
    return sections


def part_sections(part: EvidencePart) -> list[Theme | ClinicalPracticeDebate]:
    """The findings of one part of the guide, grouped by theme in the part's order."""
    return _sections(cited(Finding.objects.filter(kind__in=part.kinds)), part.kinds)


def overview_sections() -> list[Theme | ClinicalPracticeDebate]:
    """Findings of kinds no part holds, such as how the research was done."""
    findings = cited(Finding.objects.exclude(kind__in=list(PART_OF_KIND)))
    return _sections(findings, [Finding.Kind.METHOD])


@dataclass
class NedPage:
    misreadings: list[Finding]
    relationship: Relationship | None
    questions: list[BoardQuestion]


def ned_page() -> NedPage:
    """What the paper says NEDs misread, the MD–NED relationship, and questions to ask."""
    relationships = _relationships(
        Q(role__slug=MEDICAL_DIRECTOR_SLUG, other_role__slug=NON_EXECUTIVE_DIRECTOR_SLUG)
        | Q(role__slug=NON_EXECUTIVE_DIRECTOR_SLUG, other_role__slug=MEDICAL_DIRECTOR_SLUG)
    )
    return NedPage(
        misreadings=list(cited(Finding.objects.filter(kind=Finding.Kind.NED_MISREADING))),
        relationship=relationships[0] if relationships else None,
        questions=list(cited(BoardQuestion.objects.all())),
    )


def bibliography() -> list[Source]:
    """Every source, the GGI paper first, each with how many statements cite it."""
    # Meta.ordering is not applied to aggregating queries, so it is asked for explicitly.
    sources = Source.objects.annotate(citation_count=Count("citations"))
    return list(sources.order_by(*Source._meta.ordering))


@dataclass
class Statement:
    """A cited row of any kind, as a source's page lists it."""

    kind: str
    text: str
    url: str
    locators: list[str] = field(default_factory=list)
    rank: tuple = ()


# The order a source's page lists statements in: as the explainer's pages read.
KIND_RANK = [
    Role,
    Responsibility,
    ReportingLine,
    Relationship,
    GoodPractice,
    Finding,
    BoardQuestion,
    GlossaryTerm,
]


def _reading_rank(item) -> tuple:
    kind_rank = next((i for i, kind in enumerate(KIND_RANK) if isinstance(item, kind)), 99)
    if isinstance(item, Finding):
        themes = [str(kind) for kind in READING_ORDER]
        theme = themes.index(item.kind) if item.kind in themes else len(themes)
        return (kind_rank, theme, item.order, item.pk)
    if isinstance(item, GoodPractice):
        return (kind_rank, item.relationship.order, item.relationship_id, item.order, item.pk)
    return (kind_rank, getattr(item, "order", 0), item.pk)


def _describe(item) -> tuple[str, str, str]:
    """A statement's kind, its text in one line, and where the explainer shows it."""
    if isinstance(item, Role):
        return "Role", f"{item.name}: {item.summary}", item.get_absolute_url()
    if isinstance(item, Responsibility):
        url = f"{item.role.get_absolute_url()}#responsibility-{item.slug}"
        return "Responsibility", f"{item.title}: {item.description}", url
    if isinstance(item, ReportingLine):
        url = f"{item.from_role.get_absolute_url()}#reporting-lines"
        text = f"{item.from_role} to {item.to_role} ({item.get_kind_display()}): {item.description}"
        return "Reporting line", text, url
    if isinstance(item, Relationship):
        return "Relationship", f"{item}: {item.summary}", relationship_url(item)
    if isinstance(item, GoodPractice):
        relationship = item.relationship
        return f"What good looks like: {relationship}", item.text, relationship_url(relationship)
    if isinstance(item, Finding):
        return item.get_kind_display(), f"{item.title}: {item.text}", finding_url(item)
    if isinstance(item, BoardQuestion):
        url = f"{reverse('roles:for_neds')}#question-{item.pk}"
        return "Question for the board", item.question, url
    if isinstance(item, GlossaryTerm):
        url = f"{reverse('roles:glossary')}#{item.anchor}"
        return "Glossary", f"{item.abbreviation}: {item.term}", url
    return "Statement", str(item), ""


@dataclass
class CitedAt:
    """The statements citing one paragraph of the paper, or one page of another source."""

    anchor: str
    heading: str
    statements: list[Statement] = field(default_factory=list)


def _natural_order(text: str) -> tuple:
    """Sort key reading the numbers in `text` as numbers: 4.1.2 before 4.1.10, p2 before p10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|[^\d.\s-]+", text)
    )


def statement_querysets() -> list:
    """One queryset per kind of statement, with what naming the statement needs, for prefetching
    a generic relation to any of them (a citation's or a later development's statement)."""
    return [
        Role.objects.all(),
        Responsibility.objects.select_related("role"),
        ReportingLine.objects.select_related("from_role", "to_role"),
        Relationship.objects.select_related("role", "other_role"),
        GoodPractice.objects.select_related("relationship__role", "relationship__other_role"),
        Finding.objects.all(),
        BoardQuestion.objects.all(),
        GlossaryTerm.objects.all(),
    ]


def statements_citing(source: Source) -> list[CitedAt]:
    """Every statement that cites `source`, grouped by where it is cited, in reading order.

    The paper's page groups by paragraph (anchor paragraph-4-1-2), another source's page by
    page (anchor page-p2), so that a citation can link to the exact group it names. Within a
    group each statement appears once, in the order the explainer reads.
    """
    citations = (
        source.citations.select_related("content_type")
        .order_by("content_type_id", "object_id", "id")
        .prefetch_related(
            GenericPrefetch(
                "cited_object",
                statement_querysets(),
            )
        )
    )
    groups: dict[str, CitedAt] = {}
    order: dict[str, tuple] = {}
    statements: dict[tuple[str, int, int], Statement] = {}
    for citation in citations:
        item = citation.cited_object
        if item is None:  # a citation left behind by a deleted row
            continue
        if source.is_primary:
            anchor = paragraph_anchor(citation.paragraph)
            heading = f"Paragraph {citation.paragraph}"
            order[anchor] = (0, _natural_order(citation.paragraph))
        else:
            anchor = page_anchor(citation.locator)
            if citation.locator:
                heading = f"{source.short_name}, {citation.locator}"
                order[anchor] = (0, _natural_order(citation.locator))
            else:
                heading = f"{source.short_name}, no page given"
                order[anchor] = (1, ())
        group = groups.setdefault(anchor, CitedAt(anchor, heading))
        key = (anchor, citation.content_type_id, citation.object_id)
        statement = statements.get(key)
        if statement is None:
            statement = statements[key] = Statement(*_describe(item), rank=_reading_rank(item))
            group.statements.append(statement)
        locator = f"{PAPER_LABEL} {citation.paragraph}"
        if not source.is_primary and locator not in statement.locators:
            statement.locators.append(locator)
    for group in groups.values():
        group.statements.sort(key=lambda statement: statement.rank)
    return sorted(groups.values(), key=lambda group: order[group.anchor])


@dataclass
class Change:
    """A later development and the statements it is attached to, as the changes page lists it."""

    development: LaterDevelopment
    statements: list[Statement] = field(default_factory=list)


def changes_since_the_paper() -> list[Change]:
    """Every later development, newest first, each with where the explainer shows it."""
    links = DevelopmentLink.objects.select_related("content_type").prefetch_related(
        GenericPrefetch(
            "statement",
            statement_querysets(),
        )
    )
    changes = {
        development.pk: Change(development)
        for development in LaterDevelopment.objects.order_by(
            F("effective").desc(nulls_last=True), "slug"
        )
    }
    for link in links:
        if link.statement is not None and link.development_id in changes:
            item = link.statement
            changes[link.development_id].statements.append(
                Statement(*_describe(item), rank=_reading_rank(item))
            )
    for change in changes.values():
        change.statements.sort(key=lambda statement: statement.rank)
    return list(changes.values())


def glossary_terms() -> list[GlossaryTerm]:
    return list(cited(GlossaryTerm.objects.all()))
