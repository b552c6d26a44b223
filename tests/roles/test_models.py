"""The role model: names, addresses and the invariants the database keeps."""

import pytest
from django.db import IntegrityError, transaction

from roles.models import (
    BoardQuestion,
    Citation,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

pytestmark = pytest.mark.django_db


def test_source_reads_as_authors_year_and_title(explainer):
    assert str(explainer.confed) == "NHS Confederation (2009), Title of nhs-confederation-2009"
    assert explainer.confed.short_name == "NHS Confederation 2009"


def test_source_address_is_its_page_by_key(explainer):
    assert explainer.monitor.get_absolute_url() == "/roles/sources/monitor-2014/"


def test_sources_list_the_paper_first(explainer):
    assert Source.objects.first() == explainer.paper


def test_citation_reads_as_paragraph_source_and_page(explainer):
    citation = Citation.objects.filter(source=explainer.confed).first()
    assert str(citation) == "GGI paper 4.1.2; NHS Confederation 2009, p2"
    citation.locator = ""
    assert str(citation) == "GGI paper 4.1.2; NHS Confederation 2009"


def test_citation_points_back_at_what_it_cites(explainer):
    responsibility = explainer.responsibilities[0]
    assert {c.cited_object for c in responsibility.citations.all()} == {responsibility}


def test_role_reads_as_its_name_and_lives_at_its_slug(explainer):
    assert str(explainer.md) == "Medical Director"
    assert explainer.md.get_absolute_url() == "/roles/medical-director/"


def test_responsibility_slug_is_unique_within_a_role(explainer):
    existing = explainer.responsibilities[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            role=existing.role, kind="core", slug=existing.slug, title="Again", description="."
        )
    Responsibility.objects.create(
        role=explainer.ceo, kind="core", slug=existing.slug, title="Fine", description="."
    )
    assert str(existing) == existing.title


def test_reporting_line_reads_as_from_to_and_kind(explainer):
    line = ReportingLine.objects.get(from_role=explainer.md, to_role=explainer.ceo)
    assert str(line) == "Medical Director → Chief Executive (Line management)"


def test_a_role_cannot_report_to_itself(explainer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingLine.objects.create(
            from_role=explainer.md, to_role=explainer.md, kind="line", description="."
        )


def test_the_same_reporting_line_cannot_be_recorded_twice(explainer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingLine.objects.create(
            from_role=explainer.md, to_role=explainer.ceo, kind="line", description="Again."
        )


def test_relationship_is_unique_per_pair_and_reads_as_both_roles(explainer):
    relationship = Relationship.objects.get(role=explainer.md, other_role=explainer.ned)
    assert str(relationship) == "Medical Director and Non-executive directors"
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(role=explainer.md, other_role=explainer.ned, summary=".")


def test_good_practice_finding_question_and_term_read_as_their_text(explainer):
    assert str(GoodPractice.objects.get(text="Constructive challenge")) == "Constructive challenge"
    finding = explainer.findings[0]
    assert str(finding) == finding.title
    question = BoardQuestion.objects.first()
    assert str(question) == question.question
    term = GlossaryTerm.objects.get(abbreviation="NED")
    assert str(term) == "NED: Non-executive director"
    assert term.anchor == "term-ned"


def test_finding_slugs_are_unique(explainer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(
            kind="quality", slug=explainer.findings[0].slug, title="Again", text="."
        )


def test_glossary_abbreviations_are_unique(explainer):
    with pytest.raises(IntegrityError), transaction.atomic():
        GlossaryTerm.objects.create(abbreviation="NED", term="Again", definition=".")


def test_deleting_a_cited_source_is_refused(explainer):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        explainer.confed.delete()


def test_roles_order_by_their_order_field(explainer):
    assert list(Role.objects.values_list("slug", flat=True)[:3]) == [
        "medical-director",
        "chief-executive",
        "non-executive-director",
    ]
