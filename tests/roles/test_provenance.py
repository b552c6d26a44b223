"""Provenance of the national content in fixtures/roles.json, and the corrections of issue 10.

Every statement says where it comes from (the paper, the portal's own explanation, or a later
development with its source and checked date); these tests load the real fixture.
"""

import pytest
from django.core.management import call_command

from roles.models import (
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
)

STATEMENT_MODELS = [
    Role, Responsibility, ReportingLine, Relationship, GoodPractice, Finding, BoardQuestion,
    GlossaryTerm,
]


@pytest.fixture
def loaded(db):
    call_command("loaddata", "roles", verbosity=0)


def citations_of(obj):
    return Citation.objects.filter(
        content_type__app_label="roles",
        content_type__model=obj._meta.model_name,
        object_id=obj.pk,
    ).select_related("source")


def developments_of(obj):
    return DevelopmentLink.objects.filter(
        content_type__app_label="roles",
        content_type__model=obj._meta.model_name,
        object_id=obj.pk,
    )


@pytest.mark.parametrize("model", STATEMENT_MODELS, ids=lambda m: m.__name__)
def test_every_statement_has_a_known_provenance(loaded, model):
    assert set(model.objects.values_list("provenance", flat=True)) <= set(Provenance.values)


@pytest.mark.parametrize("model", STATEMENT_MODELS, ids=lambda m: m.__name__)
def test_every_statement_from_the_paper_cites_the_paper(loaded, model):
    uncited = [
        str(obj)
        for obj in model.objects.filter(provenance=Provenance.PAPER)
        if not any(c.source.is_primary for c in citations_of(obj))
    ]
    assert uncited == []


@pytest.mark.parametrize("model", STATEMENT_MODELS, ids=lambda m: m.__name__)
def test_no_editorial_or_later_statement_borrows_a_citation(loaded, model):
    borrowed = [
        str(obj)
        for obj in model.objects.exclude(provenance=Provenance.PAPER)
        if citations_of(obj).exists()
    ]
    assert borrowed == []


@pytest.mark.parametrize("model", STATEMENT_MODELS, ids=lambda m: m.__name__)
def test_every_later_statement_is_sourced_by_a_dated_note(loaded, model):
    unsourced = [
        str(obj)
        for obj in model.objects.filter(provenance=Provenance.LATER)
        if not developments_of(obj).exists()
    ]
    assert unsourced == []


def test_every_dated_note_has_a_source_url_a_checked_date_and_a_statement(loaded):
    notes = list(LaterDevelopment.objects.all())
    assert len(notes) >= 15
    for note in notes:
        assert note.source_url.startswith("https://"), note.slug
        assert note.source_title and note.source_publisher, note.slug
        assert note.checked_on is not None, note.slug
        assert note.links.exists(), note.slug


def test_the_ccg_items_carry_the_integrated_care_board_change(loaded):
    note = LaterDevelopment.objects.get(slug="icbs-replace-ccgs")
    assert note.when == "1 July 2022"
    assert developments_of(Role.objects.get(slug="clinical-commissioning-group")).filter(
        development=note
    ).exists()
    assert developments_of(GlossaryTerm.objects.get(abbreviation="CCG")).filter(
        development=note
    ).exists()


def test_the_responsible_officer_is_not_accountable_to_the_medical_director(loaded):
    assert not ReportingLine.objects.filter(
        from_role__slug="responsible-officer", to_role__slug="medical-director"
    ).exists()
    line = ReportingLine.objects.get(from_role__slug="responsible-officer")
    assert line.to_role.slug == "higher-level-responsible-officer"
    assert line.provenance == Provenance.LATER


def test_chair_and_ned_board_lines_the_paper_does_not_draw_are_gone(loaded):
    for slug in ("chair", "non-executive-director"):
        assert not ReportingLine.objects.filter(
            from_role__slug=slug, to_role__slug="trust-board"
        ).exists(), slug


@pytest.mark.parametrize(
    "phrase",
    ["part of the role in every trust", "commonly delegated", "most often sought",
     "one of the MD's core duties", "In practice this means"],
)
def test_overstatements_and_unmarked_editorial_are_gone(loaded, phrase):
    texts = []
    for model in STATEMENT_MODELS:
        for obj in model.objects.filter(provenance=Provenance.PAPER):
            texts += [
                str(getattr(obj, f.attname)) for f in model._meta.concrete_fields
                if isinstance(getattr(obj, f.attname), str) and f.name != "in_practice"
            ]
    assert not [t for t in texts if phrase.lower() in t.lower()]
    labels = [label for _, label in Responsibility.Kind.choices]
    assert not [label for label in labels if phrase.lower() in label.lower()]


def test_the_board_question_no_longer_asks_about_the_ccg(loaded):
    assert not BoardQuestion.objects.filter(question__contains="CCG").exists()


def test_editorial_explanations_are_kept_apart_from_the_cited_text(loaded):
    strategy = Responsibility.objects.get(slug="clinical-strategy")
    assert strategy.provenance == Provenance.PAPER
    assert strategy.in_practice
    assert "In practice" not in strategy.description


def test_the_md_statutory_duties_and_board_reports_are_in_the_national_model(loaded):
    md = Role.objects.get(slug="medical-director")
    statutory = set(
        md.responsibilities.filter(kind=Responsibility.Kind.STATUTORY).values_list(
            "slug", flat=True
        )
    )
    assert {
        "mhps-case-manager", "patient-safety-incident-response", "learning-from-deaths",
        "safe-working-hours",
    } <= statutory
    reports = md.responsibilities.filter(kind=Responsibility.Kind.BOARD_REPORT)
    assert reports.count() >= 3
    assert all(report.frequency and report.committee for report in reports)


def test_the_paper_links_to_its_own_page(loaded):
    from roles.models import Source

    assert Source.objects.get(is_primary=True).url.endswith(
        "/the-role-of-the-medical-director-in-the-nhs/"
    )


def test_a_review_records_when_the_text_is_next_due(loaded):
    review = Review.objects.get()
    assert review.next_review_due > review.reviewed_on
