"""A pack made from the national baseline: its ten sections, their cited text, its templates."""

import datetime
import re
from pathlib import Path

from django.test.signals import template_rendered

from induction.baseline import create_pack_from_baseline
from induction.models import AuditEvent, ChecklistItem, Trust
from induction.national_checklist import BOARD_MEMBER_OBLIGATIONS
from induction.national_text import national_sections
from induction.rendering import render_snapshot_html
from induction.safe_markdown import validate_markdown
from induction.snapshot import snapshot_draft
from roles.models import Responsibility, Role

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "induction" / "baseline"


def section_of(pack, kind):
    return pack.sections.get(kind=kind)


def test_baseline_pack_has_the_ten_sections_in_order(pack):
    assert [(s.order, s.kind) for s in pack.sections.all()] == [
        (1, "markdown"),
        (2, "markdown"),
        (3, "responsibilities"),
        (4, "people"),
        (5, "markdown"),
        (6, "markdown"),
        (7, "checklist"),
        (8, "markdown"),
        (9, "markdown"),
        (10, "glossary"),
    ]
    titles = [s.title for s in pack.sections.all()]
    assert titles[0] == "Welcome"
    assert titles[1] == "About Testshire Hospitals NHS Foundation Trust"
    assert "Working with the board" in titles
    assert "Clinical practice arrangements" in titles
    assert "Support and development" in titles
    assert "Key documents and contacts" in titles


def test_baseline_holds_every_national_responsibility(pack):
    overlays = section_of(pack, "responsibilities").overlays.all()
    national = Responsibility.objects.filter(role=pack.board_role)
    assert {o.responsibility_id for o in overlays} == set(national.values_list("pk", flat=True))
    assert {o.status for o in overlays} == {"held"}


def test_the_role_section_opens_with_the_papers_kinds_cited_to_the_paper(pack):
    """The opening sentence once cited whichever responsibility sorted first: after the duties
    since the paper were added, that was a board report, which cites nothing, so the sentence
    lost its citation."""
    body = section_of(pack, "responsibilities").body
    first_paragraph = body.split("\n\n")[0]
    assert "whatever the local variation" in first_paragraph
    assert "sometimes delegated to another post.[^1]" in first_paragraph
    assert "[^1]: GGI paper 4.1.2, 4.1.3, 6.2.3; NHS Confederation 2009, p2" in body
    assert "in every trust" not in body
    assert "often delegated" not in body
    assert "table below" not in body


def test_baseline_national_text_is_cited_in_footnotes(pack):
    board = pack.sections.get(title="Working with the board")
    assert "[^1]: GGI paper 6." in board.body
    clinical = pack.sections.get(title="Clinical practice arrangements")
    assert "[^1]: GGI paper 4.1.4" in clinical.body


def test_every_footnote_mark_in_a_section_has_its_note_and_every_note_is_used(pack):
    for section in pack.sections.all():
        notes = re.findall(r"^\[\^(\d+)\]: ", section.body, flags=re.MULTILINE)
        marks = set(re.findall(r"\[\^(\d+)\](?!:)", section.body))
        assert notes == [str(n) for n in range(1, len(notes) + 1)], section.title
        assert marks == set(notes), section.title


def test_baseline_checklist_suggests_each_kind_of_step_at_each_timing(pack):
    items = section_of(pack, "checklist").checklist.all()
    assert {item.category for item in items} == {"meet", "read", "training", "obligations"}
    # Every timing, the reviews at three and six months included.
    assert {item.due_by_day for item in items} == set(ChecklistItem.Timing.values)
    assert {item.due_by_day for item in items} >= {91, 182}


def test_baseline_checklist_has_the_obligations_of_every_board_member(pack):
    steps = [
        item.text for item in section_of(pack, "checklist").checklist.filter(category="obligations")
    ]
    assert len(steps) == len(BOARD_MEMBER_OBLIGATIONS) == 5
    for words in (
        "Fit and proper person test",
        "self-attestation",
        "board reference",
        "Declare your interests",
        "code of conduct",
        "leadership competency framework",
        "appraisal",
    ):
        assert any(words in step for step in steps), words
    # The portal records that a step was done, never the personal data behind it.
    for step in steps:
        assert "The portal records only that" in step, step


def test_the_obligations_are_sourced_with_the_date_they_were_checked(pack):
    intro = section_of(pack, "checklist").body
    assert "checked on 30 November 2026" in intro
    for address in (
        "https://www.england.nhs.uk/long-read/nhs-england-fit-and-proper-person-test-framework-for-board-members/",
        "https://www.england.nhs.uk/long-read/nhs-leadership-competency-framework-for-board-members/",
        "https://www.england.nhs.uk/long-read/board-member-appraisal-guidance/",
        "https://www.england.nhs.uk/long-read/managing-conflicts-of-interest-in-the-nhs/",
    ):
        assert f"]({address})" in intro
    assert "never in this portal" in intro
    html = render_snapshot_html(snapshot_draft(pack))
    assert "Your obligations as a board member" in html


def test_national_sections_cost_a_fixed_number_of_queries(pack, django_assert_max_num_queries):
    # Eleven: the national findings, responsibilities, relationships and their citations, and
    # one for every "changed since 2017" note, however many sections cite them.
    with django_assert_max_num_queries(11):
        national_sections(trust=pack.trust, role=pack.board_role)


def test_a_finding_carries_its_changed_since_2017_note_into_the_pack(national, trust, attach_note):
    from roles.models import Finding

    finding = Finding.objects.filter(kind=Finding.Kind.RESPONSIBILITY_CONTEXT).first()
    attach_note(
        finding,
        title="Integrated care boards replaced clinical commissioning groups",
        effective=datetime.date(2022, 7, 1),
        source_title="Integrated care in your area",
        source_url="https://www.england.nhs.uk/integratedcare/integrated-care-in-your-area/",
    )
    pack = create_pack_from_baseline(trust=trust)
    body = section_of(pack, "responsibilities").body  # the role here, and what research found
    line = next(line for line in body.splitlines() if finding.title in line)
    assert (
        "*Changed since 2017 (1 July 2022): Integrated care boards replaced clinical "
        "commissioning groups.* Source: [Integrated care in your area]"
        "(https://www.england.nhs.uk/integratedcare/integrated-care-in-your-area/), "
        "NHS England, checked 30 November 2026."
    ) in line


def test_baseline_markdown_all_passes_validation(pack):
    for section in pack.sections.all():
        validate_markdown(section.body)


def test_the_baseline_pack_headings_never_skip_a_level(pack):
    # Each section is an <h2>; Markdown "#" is an <h3>. A "###" in the baseline once made <h5>s.
    html = render_snapshot_html(snapshot_draft(pack))
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, (previous, current)


def test_baseline_creation_is_in_the_audit_trail(pack):
    assert AuditEvent.objects.filter(pack=pack, action="created").count() == 1


def test_the_trust_section_says_what_kind_of_trust_it_is(pack, other_pack):
    about = pack.sections.get(order=2).body
    assert about.startswith("Testshire Hospitals NHS Foundation Trust is an acute trust (ODS ")
    other_about = other_pack.sections.get(order=2).body
    assert other_about.startswith("Elsewhere Community NHS Trust is a community trust (ODS ")


def test_names_reach_the_markdown_as_typed_not_html_escaped(national):
    # The sanitiser escapes the Markdown when the pack is shown; escaping it here too would
    # show "&amp;" and "&#x27;" to the reader and in the editor.
    Role.objects.filter(pk=national.pk).update(name="Medical & Clinical Director")
    trust = Trust.objects.create(
        name="St Mary's & St Anne's <Test> NHS Trust",
        slug="st-marys",
        ods_code="RZ7",
        kind=Trust.Kind.ACUTE,
    )
    pack = create_pack_from_baseline(trust=trust)
    bodies = "\n".join(section.body for section in pack.sections.all())
    assert "Welcome to St Mary's & St Anne's <Test> NHS Trust." in bodies
    assert "our new Medical & Clinical Director:" in bodies
    assert "&amp;" not in bodies and "&#x27;" not in bodies and "&lt;" not in bodies


def test_every_baseline_template_is_used(national, trust):
    rendered = set()

    def record(sender, template, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(record)
    try:
        create_pack_from_baseline(trust=trust)
    finally:
        template_rendered.disconnect(record)
    on_disk = {f"induction/baseline/{path.name}" for path in TEMPLATES.iterdir()}
    assert on_disk == rendered


def test_every_baseline_template_turns_html_escaping_off():
    for path in TEMPLATES.iterdir():
        text = path.read_text()
        assert text.startswith("{% autoescape off %}"), path.name
        assert text.endswith("{% endautoescape %}\n"), path.name


def test_a_relationship_carries_its_changed_since_2017_note_into_the_board_section(
    national, trust, attach_note
):
    from roles.models import LaterDevelopment, Relationship

    relationship = Relationship.objects.filter(role__slug="medical-director").first()
    attach_note(
        relationship,
        kind=LaterDevelopment.Kind.CONTEXT,
        title="A later national framework",
        effective_label="February 2024",
        source_title="The framework",
    )
    pack = create_pack_from_baseline(trust=trust)
    body = pack.sections.get(title="Working with the board").body
    assert (
        "*Not covered by the paper (February 2024): A later national framework.* Source: "
        "[The framework](https://www.england.nhs.uk/example/), NHS England, checked "
        "30 November 2026."
    ) in body
    validate_markdown(body)  # raises if the notes made the text unstorable


def test_a_reporting_line_carries_its_changed_since_2017_note_into_the_people_section(
    national, trust, attach_note
):
    from roles.models import ReportingLine

    line = ReportingLine.objects.filter(from_role__slug="medical-director").first()
    attach_note(
        line,
        title="A changed line",
        effective=datetime.date(2023, 9, 30),
        source_url="https://www.england.nhs.uk/line/",
    )
    body = section_of(create_pack_from_baseline(trust=trust), "people").body
    [entry] = [text for text in body.splitlines() if line.to_role.name in text]
    assert entry.endswith(
        "*Changed since 2017 (30 September 2023): A changed line.* Source: [The source]"
        "(https://www.england.nhs.uk/line/), NHS England, checked 30 November 2026."
    )
