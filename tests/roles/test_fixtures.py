"""Integrity of the national role model in fixtures/roles.json (the GGI paper as cited data).

These tests load the real fixture, so they fail when an edit to the reference data drops a
citation, breaks idempotent loading, loses part of the paper or copies its sentences.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from roles.models import (
    BoardQuestion,
    Citation,
    Finding,
    GlossaryTerm,
    GoodPractice,
    LaterDevelopment,
    Provenance,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "roles.json"
# The paper lives beside the project, not in it (it is not ours to redistribute).
PAPER = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "sources"
    / "ggi-board-insights-2-medical-director-2017.txt"
)

PRIMARY_KEY = "ggi-2017"

# Every footnote of the paper and the source it points to, with "Ibid" resolved to the
# previous footnote's source. The paper has a marker 42 in 7.2.3 but prints no footnote 42.
FOOTNOTE_SOURCES = {
    1: "nhs-confederation-2009", 2: "monitor-2014", 3: "nhs-confederation-2009",
    4: "hsj-2013", 5: "monitor-2014", 6: "kossaify-2013", 7: "nhs-confederation-2009",
    8: "nhs-confederation-2009", 9: "fmlm-hunter-2016",
    10: "integrated-governance-handbook-2006", 11: "giordano-2010", 12: "monitor-2014",
    13: "monitor-2014", 14: "nhs-confederation-2009", 15: "kossaify-2013",
    16: "fmlm-hunter-2016", 17: "nhs-confederation-2009", 18: "fmlm-hunter-2016",
    19: "nhs-confederation-2009", 20: "fmlm-hunter-2016", 21: "fmlm-hunter-2016",
    22: "fmlm-hunter-2016", 23: "fmlm-hunter-2016", 24: "fmlm-hunter-2016",
    25: "giordano-2010", 26: "giordano-2010", 27: "giordano-2010", 28: "giordano-2010",
    29: "monitor-2014", 30: "monitor-2014", 31: "kossaify-2013", 32: "monitor-2014",
    33: "hsj-2016", 34: "fmlm-hunter-2016", 35: "nhs-confederation-2009",
    36: "giordano-2010", 37: "monitor-2014", 38: "monitor-2014",
    39: "nhs-confederation-2009", 40: "monitor-2014", 41: "fmlm-hunter-2016",
    43: "monitor-2014", 44: "fmlm-hunter-2016", 45: "ham-dickinson-2008", 46: "hsj-2013",
    47: "monitor-2014",
}

# Works the paper lists in its references (10.1.2) without a footnote.
REFERENCE_LIST_ONLY = {"bohmer-2012", "good-governance-handbook-2015"}

# Every numbered paragraph of the paper, plus the unnumbered introduction and methodology.
# The paragraph after the 5.1.0 list carries no number of its own, and there is no 5.1.1 or
# 7.2.2 in the paper.
PARAGRAPHS = {
    "1", "2",
    "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.2.1", "3.2.2",
    "4.1.1", "4.1.2", "4.1.3", "4.1.4",
    "5.1.0", "5.1.2", "5.1.3",
    "6.1.1", "6.2.1", "6.2.2", "6.2.3", "6.3.1",
    "7.1.1", "7.1.2", "7.1.3", "7.1.4", "7.2.1", "7.2.3",
    "8.1.1", "8.1.2", "8.1.3", "8.1.4",
    "9.1.1",
}
ACKNOWLEDGEMENT_PARAGRAPHS = {"10.1.1", "10.1.2"}

CITED_MODELS = [
    Role, Responsibility, ReportingLine, Relationship, GoodPractice, Finding, BoardQuestion,
]
ROLE_MODELS = list(apps.get_app_config("roles").get_models())

# Prose we wrote: the fields that must be in our own words. Bibliographic titles and authors
# are exempt because they must match the works they name.
PROSE_FIELDS = {
    Source: ["summary"],
    Role: ["summary"],
    Responsibility: ["title", "description", "in_practice"],
    ReportingLine: ["description"],
    Relationship: ["summary", "in_practice"],
    GoodPractice: ["text"],
    Finding: ["title", "text", "quote"],
    BoardQuestion: ["question", "why_it_matters"],
    GlossaryTerm: ["definition"],
    LaterDevelopment: ["title", "text"],
}

BIBLIOGRAPHIC = {"title", "authors", "publisher"}

# An acronym is a word of two or more capitals, with an optional plural "s" (NEDs, MDs).
ACRONYM = re.compile(r"(?<![\w&#])([A-Z]{2,})s?(?!\w)")


@pytest.fixture
def loaded(db):
    call_command("loaddata", "roles", verbosity=0)


def normalise(text):
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"')
    return " ".join(text.lower().split())


def words(text):
    return re.findall(r"[a-z0-9%]+", normalise(text))


def paper_text():
    if not PAPER.exists():
        pytest.skip(f"The GGI paper is not beside the project at {PAPER}")
    # Drop footnote markers (superscript digits) and the paragraph-number decoration.
    text = re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+", "", PAPER.read_text(encoding="utf-8"))
    return re.sub(r"^- (\d+(\.\d+)+)\*\*", r"\1", text, flags=re.MULTILINE)


def paper_sentences(min_words=12):
    """The paper's sentences (and list items, one a line) of at least `min_words` words."""
    pieces = []
    for line in paper_text().splitlines():
        pieces.extend(re.split(r"(?<=[.!?])\s+", line.strip()))
    sentences = []
    for piece in pieces:
        piece = normalise(piece).lstrip("- ").rstrip(".!?:;,")
        if len(piece.split()) >= min_words:
            sentences.append(piece)
    return sentences


def prose():
    """(label, text) for every prose field of every row of the role model."""
    for model, fields in PROSE_FIELDS.items():
        for obj in model.objects.all():
            for field in fields:
                value = getattr(obj, field)
                if value:
                    yield f"{model.__name__} {obj.pk} {field}", value


def all_text(bibliographic=True):
    """(label, text) for every text value in the role model.

    With `bibliographic=False`, leave out a source's title, authors and publisher, which must
    reproduce the work they name (the paper's own title is a sentence of twelve words).
    """
    for model in ROLE_MODELS:
        for obj in model.objects.all():
            for field in model._meta.concrete_fields:
                if field.name == "url":
                    continue
                if not bibliographic and model is Source and field.name in BIBLIOGRAPHIC:
                    continue
                value = getattr(obj, field.attname)
                if isinstance(value, str):
                    yield f"{model.__name__} {obj.pk} {field.name}", value


def citations_of(obj):
    return Citation.objects.filter(
        content_type__app_label="roles",
        content_type__model=obj._meta.model_name,
        object_id=obj.pk,
    ).select_related("source")


def test_every_fixture_object_has_an_explicit_integer_primary_key():
    # Explicit pks are what make a second loaddata update rows instead of adding new ones.
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert objects
    assert all(isinstance(o.get("pk"), int) for o in objects)
    keys = [(o["model"], o["pk"]) for o in objects]
    assert [k for k, n in Counter(keys).items() if n > 1] == []


@pytest.mark.django_db
def test_loading_the_fixture_twice_changes_no_counts():
    call_command("loaddata", "roles", verbosity=0)
    first = {m.__name__: m.objects.count() for m in ROLE_MODELS}
    call_command("loaddata", "roles", verbosity=0)
    second = {m.__name__: m.objects.count() for m in ROLE_MODELS}
    assert first == second
    assert all(count > 0 for count in first.values()), first


def test_the_medical_director_role_exists_and_sits_on_the_board(loaded):
    md = Role.objects.get(slug="medical-director")
    assert md.is_board_member
    assert md.abbreviation == "MD"


def test_every_role_the_paper_relates_to_the_medical_director_exists(loaded):
    expected = {
        "medical-director", "chief-executive", "chair", "non-executive-director",
        "director-of-nursing", "deputy-chief-executive", "clinical-director", "trust-board",
        "clinical-body", "director-of-planning", "director-of-strategy",
        "responsible-officer", "clinical-commissioning-group",
    }
    assert expected <= set(Role.objects.values_list("slug", flat=True))


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m.__name__)
def test_every_statement_from_the_paper_cites_the_paper(loaded, model):
    # Statements that are the portal's own explanation or a later development carry no
    # citation to the paper (tests/roles/test_provenance.py checks how they are sourced).
    rows = list(model.objects.filter(provenance=Provenance.PAPER))
    assert rows, f"no {model.__name__} rows from the paper in the fixture"
    uncited = []
    for obj in rows:
        citations = list(citations_of(obj))
        if not any(c.source.key == PRIMARY_KEY for c in citations):
            uncited.append(str(obj))
    assert uncited == []


def test_every_citation_points_at_an_existing_source_row_and_paragraph(loaded):
    source_ids = set(Source.objects.values_list("pk", flat=True))
    known = PARAGRAPHS | ACKNOWLEDGEMENT_PARAGRAPHS
    for citation in Citation.objects.select_related("content_type"):
        assert citation.source_id in source_ids
        assert citation.paragraph in known, citation
        assert citation.cited_object is not None, f"citation {citation.pk} cites nothing"


def test_every_paragraph_of_the_paper_is_cited(loaded):
    cited = set(Citation.objects.values_list("paragraph", flat=True))
    assert PARAGRAPHS - cited == set()


def test_every_footnote_is_cited_to_its_own_source(loaded):
    used = {}
    for citation in Citation.objects.exclude(footnote=None).select_related("source"):
        assert citation.footnote in FOOTNOTE_SOURCES, f"unknown footnote {citation.footnote}"
        assert citation.source.key == FOOTNOTE_SOURCES[citation.footnote], citation
        used.setdefault(citation.footnote, citation)
    assert set(FOOTNOTE_SOURCES) - set(used) == set()


def test_every_source_the_paper_cites_is_present_with_a_summary(loaded):
    expected = {PRIMARY_KEY} | set(FOOTNOTE_SOURCES.values()) | REFERENCE_LIST_ONLY
    sources = {s.key: s for s in Source.objects.all()}
    assert expected - set(sources) == set()
    assert [k for k in expected if not sources[k].summary.strip()] == []
    assert list(Source.objects.filter(is_primary=True).values_list("key", flat=True)) == [
        PRIMARY_KEY
    ]
    assert sources["kossaify-2013"].url.endswith("PMC4089725/")


def test_every_source_is_cited_somewhere(loaded):
    uncited = Source.objects.filter(citations=None).values_list("key", flat=True)
    assert list(uncited) == []


def test_the_paper_gives_the_medical_director_six_core_and_five_delegated_duties(loaded):
    md = Role.objects.get(slug="medical-director")
    from_the_paper = md.responsibilities.filter(
        kind__in=[Responsibility.Kind.CORE, Responsibility.Kind.DELEGATED]
    )
    kinds = Counter(from_the_paper.values_list("kind", flat=True))
    assert kinds == {Responsibility.Kind.CORE: 6, Responsibility.Kind.DELEGATED: 5}
    for responsibility in from_the_paper:
        assert responsibility.provenance == Provenance.PAPER, responsibility
        sources = {(c.source.key, c.locator, c.footnote) for c in citations_of(responsibility)}
        assert ("nhs-confederation-2009", "p2", 14) in sources, responsibility


def test_the_duties_since_the_paper_are_later_developments_not_cited_to_it(loaded):
    md = Role.objects.get(slug="medical-director")
    later = md.responsibilities.filter(
        kind__in=[Responsibility.Kind.STATUTORY, Responsibility.Kind.BOARD_REPORT]
    )
    kinds = Counter(later.values_list("kind", flat=True))
    assert kinds[Responsibility.Kind.STATUTORY] >= 4
    assert kinds[Responsibility.Kind.BOARD_REPORT] >= 3
    for responsibility in later:
        assert responsibility.provenance == Provenance.LATER, responsibility
        assert not citations_of(responsibility).exists(), responsibility


def test_the_reporting_lines_of_the_medical_director_are_all_there(loaded):
    upward = set(
        ReportingLine.objects.filter(from_role__slug="medical-director").values_list(
            "to_role__slug", "kind"
        )
    )
    assert {
        ("chief-executive", ReportingLine.Kind.LINE),
        ("trust-board", ReportingLine.Kind.BOARD),
    } <= upward
    # The doctors are led by the MD, so that line points at the MD and the diagram draws the
    # clinical body below it. The Responsible Officer is not accountable to the MD: the trust
    # appoints one, whose own connection is to a higher-level Responsible Officer.
    downward = set(
        ReportingLine.objects.filter(to_role__slug="medical-director").values_list(
            "from_role__slug", "kind"
        )
    )
    assert downward == {("clinical-body", ReportingLine.Kind.PROFESSIONAL)}


def test_the_ned_and_board_relationships_carry_their_six_good_practice_points(loaded):
    for other in ("non-executive-director", "trust-board"):
        relationship = Relationship.objects.get(
            role__slug="medical-director", other_role__slug=other
        )
        assert relationship.good_practice.count() == 6, other
    ned_points = " ".join(
        GoodPractice.objects.filter(relationship__other_role__slug="non-executive-director")
        .values_list("text", flat=True)
    ).lower()
    for phrase in ("challenge", "supportive", "critical friend", "trust and confidence",
                   "medical expertise", "them and us"):
        assert phrase in ned_points


def test_every_management_approach_statistic_is_present(loaded):
    statistics = Finding.objects.filter(kind=Finding.Kind.MANAGEMENT_APPROACH).values_list(
        "statistic", flat=True
    )
    percentages = Counter(re.match(r"\d+%", s).group() for s in statistics)
    assert percentages == {"64%": 1, "59%": 2, "54%": 1}


@pytest.mark.parametrize(
    "figure",
    ["10-20%", "71%", "67%", "62%", "12 Medical Directors", "4,500"],
)
def test_every_other_statistic_of_the_paper_is_present(loaded, figure):
    assert Finding.objects.filter(statistic__contains=figure).exists()


def test_every_recommendation_is_present(loaded):
    slugs = set(
        Finding.objects.filter(kind=Finding.Kind.RECOMMENDATION).values_list("slug", flat=True)
    )
    assert slugs == {
        "trust-induction-materials",
        "training-career-pathways-succession",
        "freedom-to-keep-practice",
        "board-understanding-and-ned-induction",
        "clinical-body-understanding",
    }


def test_what_neds_misread_is_covered(loaded):
    paragraphs = set(
        Citation.objects.filter(
            content_type__model="finding",
            object_id__in=Finding.objects.filter(kind=Finding.Kind.NED_MISREADING).values("pk"),
        ).values_list("paragraph", flat=True)
    )
    assert {"3.1.4", "6.2.1", "6.2.3", "9.1.1"} <= paragraphs


def test_there_are_eight_to_twelve_board_questions(loaded):
    assert 8 <= BoardQuestion.objects.count() <= 12


def test_every_finding_kind_is_used(loaded):
    used = set(Finding.objects.values_list("kind", flat=True))
    assert set(Finding.Kind.values) - used == set()


# The title of the work a dated note cites must match that work, as a source's title must
# (a judgment's title names its anonymised parties by initials, which are not acronyms).
NOTE_SOURCE_TITLE = "LaterDevelopment {pk} source_title"


def test_every_acronym_in_the_data_is_in_the_glossary(loaded):
    glossary = set(GlossaryTerm.objects.values_list("abbreviation", flat=True))
    note_titles = {
        NOTE_SOURCE_TITLE.format(pk=pk)
        for pk in LaterDevelopment.objects.values_list("pk", flat=True)
    }
    missing = set()
    for label, text in all_text():
        if label in note_titles:
            continue
        for acronym in ACRONYM.findall(text):
            if acronym not in glossary:
                missing.add(f"{acronym} ({label})")
    assert sorted(missing) == []


def test_glossary_terms_the_paper_uses_are_cited(loaded):
    for abbreviation in ("NED", "CCG", "STP", "GMC", "FMLM", "RO", "MD", "HSJ", "NHS", "GGI"):
        term = GlossaryTerm.objects.get(abbreviation=abbreviation)
        assert citations_of(term).exists(), abbreviation


def test_quotes_are_short_phrases_that_the_paper_really_contains(loaded):
    paper = normalise(paper_text())
    for finding in Finding.objects.exclude(quote=""):
        assert len(finding.quote.split()) <= 12, finding.slug
        assert normalise(finding.quote) in paper, finding.slug


def test_no_sentence_of_the_paper_is_copied_into_the_data(loaded):
    sentences = paper_sentences(min_words=12)
    assert len(sentences) > 100  # the split found the paper's prose
    copied = []
    for label, text in all_text(bibliographic=False):
        haystack = normalise(text)
        copied += [f"{label}: {s}" for s in sentences if s in haystack]
    assert copied == []


def test_no_run_of_ten_words_from_the_paper_appears_in_our_prose(loaded):
    # Stricter than whole sentences: long runs mean the text was copied, not rewritten.
    size = 10
    paper_words = words(paper_text())
    runs = {tuple(paper_words[i : i + size]) for i in range(len(paper_words) - size + 1)}
    copied = []
    for label, text in prose():
        tokens = words(text)
        for i in range(len(tokens) - size + 1):
            if tuple(tokens[i : i + size]) in runs:
                copied.append(f"{label}: {' '.join(tokens[i : i + size])}")
                break
    assert copied == []
