"""Small, self-made role data for the explainer tests (independent of fixtures/roles.json)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from roles.models import (
    MEDICAL_DIRECTOR_SLUG,
    BoardQuestion,
    Citation,
    DevelopmentLink,
    Finding,
    GlossaryTerm,
    GoodPractice,
    LaterDevelopment,
    Provenance,
    Relationship,
    ReportingLine,
    Responsibility,
    Review,
    Role,
    Source,
)
from roles.queries import NON_EXECUTIVE_DIRECTOR_SLUG


@pytest.fixture(autouse=True)
def _only_the_data_each_test_makes(request):
    """Hide the real role model that other folders load once per session.

    tests/induction/conftest.py loads fixtures/roles.json into the session's database. The
    explainer tests count rows and queries on data they make themselves, so each one starts by
    deleting the national rows inside its own transaction; the rollback brings them back.
    """
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    Citation.objects.all().delete()
    for model in (DevelopmentLink, LaterDevelopment, Review, GoodPractice, Relationship,
                  ReportingLine, Responsibility, Finding, BoardQuestion, GlossaryTerm, Role,
                  Source):
        model.objects.all().delete()


def cite(statement, source: Source, paragraph: str, locator: str = "") -> Citation:
    """Attach a citation to any cited row."""
    return Citation.objects.create(
        cited_object=statement, source=source, paragraph=paragraph, locator=locator
    )


def make_note(slug: str, **fields) -> LaterDevelopment:
    """A dated later-development note with its source."""
    defaults = {
        "title": f"Change {slug}",
        "text": f"What changed in {slug}.",
        "effective": datetime.date(2022, 7, 1),
        "source_title": f"Source of {slug}",
        "source_publisher": "NHS England",
        "source_url": f"https://example.org/{slug}",
        "checked_on": datetime.date(2026, 11, 30),
    }
    return LaterDevelopment.objects.create(slug=slug, **{**defaults, **fields})


def attach(note: LaterDevelopment, statement) -> DevelopmentLink:
    """Attach a later-development note to any statement."""
    return DevelopmentLink.objects.create(development=note, statement=statement)


def make_source(key: str, **fields) -> Source:
    defaults = {
        "authors": f"Author of {key}",
        "title": f"Title of {key}",
        "publisher": "Publisher",
        "year": 2010,
    }
    return Source.objects.create(key=key, **{**defaults, **fields})


def make_role(slug: str, name: str, **fields) -> Role:
    return Role.objects.create(slug=slug, name=name, **{"summary": f"About {name}.", **fields})


@dataclass
class Explainer:
    """Handles on the rows `make_explainer` created."""

    paper: Source
    confed: Source
    monitor: Source
    md: Role
    ceo: Role
    ned: Role
    responsibilities: list[Responsibility] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[LaterDevelopment] = field(default_factory=list)


def make_explainer(scale: int = 1) -> Explainer:
    """A complete small explainer; `scale` multiplies every repeated kind of row.

    Each statement from the paper carries two citations (the paper and an underlying source),
    so the number of citations grows with `scale` too; so do the statutory duties and board
    reports (later developments, uncited) and the dated notes attached to statements.
    """
    paper = make_source(
        "ggi-2017",
        authors="Good Governance Institute",
        title="GGI board insights paper 2: the role of the Medical Director in the NHS",
        publisher="GGI",
        year=2017,
        is_primary=True,
    )
    confed = make_source("nhs-confederation-2009", authors="NHS Confederation", year=2009)
    monitor = make_source("monitor-2014", authors="Monitor", year=2014)
    md = make_role(MEDICAL_DIRECTOR_SLUG, "Medical Director", abbreviation="MD", order=1,
                   is_board_member=True, summary="A board member with a clinical background.")
    ceo = make_role("chief-executive", "Chief Executive", order=2, is_board_member=True)
    ned = make_role(NON_EXECUTIVE_DIRECTOR_SLUG, "Non-executive directors", abbreviation="NED",
                    order=3)
    board = make_role("trust-board", "Trust board", order=4)
    cite(md, paper, "3.1.1")

    explainer = Explainer(paper, confed, monitor, md, ceo, ned)
    for n in range(scale):
        extra = make_source(f"extra-{n}", authors=f"Extra author {n}", year=2000 + n)
        for kind, count in ((Responsibility.Kind.CORE, 2), (Responsibility.Kind.DELEGATED, 2)):
            for i in range(count):
                responsibility = Responsibility.objects.create(
                    role=md, kind=kind, slug=f"{kind}-{n}-{i}", title=f"{kind} duty {n}.{i}",
                    description="Leads clinical strategy with the NED members.", order=i,
                )
                cite(responsibility, paper, "4.1.2")
                cite(responsibility, confed, "4.1.2", "p2")
                explainer.responsibilities.append(responsibility)
        note = make_note(f"note-{n}", title=f"Changed since the paper {n}")
        explainer.notes.append(note)
        statutory = Responsibility.objects.create(
            role=md, kind=Responsibility.Kind.STATUTORY, provenance=Provenance.LATER,
            slug=f"statutory-{n}", title=f"Statutory duty {n}",
            description="A duty in law since the paper.",
            in_practice=f"What statutory duty {n} asks day to day.", order=n,
        )
        report = Responsibility.objects.create(
            role=md, kind=Responsibility.Kind.BOARD_REPORT, provenance=Provenance.LATER,
            slug=f"board-report-{n}", title=f"Board report {n}",
            description="A report the MD takes to the board.", frequency="Quarterly",
            committee="Quality committee", order=n,
        )
        explainer.responsibilities += [statutory, report]
        attach(note, statutory)
        attach(note, report)
        for kind in (
            Finding.Kind.BACKGROUND,
            Finding.Kind.CLINICAL_PRACTICE_BENEFIT,
            Finding.Kind.CLINICAL_PRACTICE_DRAWBACK,
            Finding.Kind.MANAGEMENT_APPROACH,
            Finding.Kind.NED_MISREADING,
            Finding.Kind.RECOMMENDATION,
            Finding.Kind.METHOD,
        ):
            finding = Finding.objects.create(
                kind=kind, slug=f"{kind}-{n}", title=f"Finding {kind} {n}",
                text="NEDs may see the role as operational.", statistic=f"{60 + n}% of respondents",
                quote="a foot in both camps", order=n,
            )
            cite(finding, paper, "6.2.1")
            cite(finding, monitor, "6.2.1", "p10")
            cite(finding, extra, "6.2.1", "p1")
            attach(note, finding)
            explainer.findings.append(finding)
        reporting_to_md = make_role(
            f"clinical-director-{n}", f"Clinical director {n}", order=10 + n
        )
        line = ReportingLine.objects.create(
            from_role=reporting_to_md, to_role=md, kind=ReportingLine.Kind.PROFESSIONAL,
            description="Professional leadership of doctors.", order=10 + n,
        )
        cite(line, paper, "6.1.1")
        colleague = make_role(f"colleague-{n}", f"Colleague {n}", order=20 + n)
        relationship = Relationship.objects.create(
            role=md, other_role=colleague, summary="They work closely.", order=10 + n
        )
        cite(relationship, paper, "6.2.3")
        attach(note, relationship)
        good = GoodPractice.objects.create(relationship=relationship, text="Regular talks", order=n)
        cite(good, paper, "6.2.3")
        question = BoardQuestion.objects.create(
            question=f"Question {n}: how does our MD spend their time?",
            why_it_matters="Time split matters.", order=n,
        )
        cite(question, paper, "9.1.1")
        attach(note, question)
        term = GlossaryTerm.objects.create(
            abbreviation=f"X{n}Q", term=f"Extra term {n}", definition="Made up."
        )
        cite(term, paper, "1")
        attach(note, term)

    for kind, target, order in (
        (ReportingLine.Kind.LINE, ceo, 1),
        (ReportingLine.Kind.BOARD, board, 2),
    ):
        line = ReportingLine.objects.create(
            from_role=md, to_role=target, kind=kind, description=f"The MD and the {target}.",
            order=order,
        )
        cite(line, paper, "6.1.1")
    ned_relationship = Relationship.objects.create(
        role=md, other_role=ned, summary="NEDs and the MD should work closely.", order=1
    )
    cite(ned_relationship, paper, "6.2.1")
    cite(ned_relationship, monitor, "6.2.1", "p16")
    for i, text in enumerate(("Constructive challenge", "Acting as a 'critical friend'")):
        point = GoodPractice.objects.create(relationship=ned_relationship, text=text, order=i)
        cite(point, monitor, "6.2.1", "p16")
    for abbreviation, term in (
        ("NED", "Non-executive director"),
        ("MD", "Medical Director"),
        ("CCG", "Clinical Commissioning Group"),
    ):
        cite(
            GlossaryTerm.objects.create(abbreviation=abbreviation, term=term, definition="A term."),
            paper,
            "1",
        )
    Review.objects.create(
        reviewed_on=datetime.date(2026, 11, 30),
        next_review_due=datetime.date(2027, 11, 30),
        summary="Checked every statement against its source.",
    )
    return explainer


@pytest.fixture
def explainer(db) -> Explainer:
    return make_explainer()


class PageStructure(HTMLParser):
    """The parts of a page the tests check: ids, heading levels, inline styles and scripts."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.style_attributes = 0
        self.inline_scripts = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "style" in attributes:
            self.style_attributes += 1
        if tag == "script" and "src" not in attributes:
            self.inline_scripts += 1
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))


def page_structure(response) -> PageStructure:
    parser = PageStructure()
    parser.feed(response.content.decode())
    return parser
