"""The snapshot: its shape, its HTML, and importing it back (validated, all or nothing)."""

import copy
import re

import pytest

from induction import services
from induction.importing import ImportInvalid, import_draft, validate_import
from induction.models import AuditEvent, Section
from induction.rendering import render_snapshot_html
from induction.snapshot import FORMAT, snapshot_draft


@pytest.fixture
def content(pack):
    return snapshot_draft(pack)


def section_data(content, kind):
    return next(s for s in content["sections"] if s["kind"] == kind)


# --- shape ----------------------------------------------------------------------------------


def test_snapshot_names_its_format_trust_and_role(content):
    assert content["format"] == FORMAT == "mdportal.induction-pack/1"
    assert content["trust"] == "testshire"
    assert content["trust_name"] == "Testshire Hospitals NHS Foundation Trust"
    assert content["board_role"] == "medical-director"
    assert content["title"] == "Medical Director induction pack"


def test_each_section_has_an_anchor_title_kind_and_body(content):
    for position, section in enumerate(content["sections"], start=1):
        assert section["anchor"] == f"section-{position}"
        assert section["title"] and section["kind"]
        assert isinstance(section["body"], str)


def test_responsibilities_carry_the_national_text_and_local_choices(pack, editor, content):
    responsibilities = section_data(content, "responsibilities")["responsibilities"]
    first = responsibilities[0]
    assert set(first) == {
        "slug",
        "title",
        "description",
        "kind",
        "status",
        "delegated_to",
        "note",
        "citations",
    }
    assert first["kind"] == "core" and responsibilities[-1]["kind"] == "delegated"
    assert any(c.startswith("GGI 4.1.2; NHS Confederation 2009, p2") for c in first["citations"])


def test_people_checklist_and_glossary_are_listed(pack, editor):
    services.add_post_holder(
        section=pack.sections.get(kind="people"),
        user=editor,
        name="Dr Helen Price",
        title="Chief Executive",
        relation="reports_to",
        contact="helen.price@example.nhs.uk",
    )
    content = snapshot_draft(pack)
    assert section_data(content, "people")["post_holders"] == [
        {
            "name": "Dr Helen Price",
            "title": "Chief Executive",
            "relation": "reports_to",
            "contact": "helen.price@example.nhs.uk",
        },
    ]
    checklist = section_data(content, "checklist")["checklist"]
    assert set(checklist[0]) == {"category", "text", "due_by_day"}
    glossary = section_data(content, "glossary")["glossary"]
    assert {"abbreviation", "term", "definition"} == set(glossary[0])
    assert any(entry["abbreviation"] == "NED" for entry in glossary)


def test_snapshot_queries_do_not_grow_with_sections(pack, editor, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        snapshot_draft(pack)
    for n in range(10):
        services.add_section(pack=pack, user=editor, title=f"Extra {n}", kind="people")
        services.add_section(pack=pack, user=editor, title=f"More {n}", kind="responsibilities")
    with django_assert_max_num_queries(len(few)):
        snapshot_draft(pack)


# --- HTML -----------------------------------------------------------------------------------


def test_html_has_one_section_and_heading_per_section(content):
    html = render_snapshot_html(content)
    anchors = re.findall(r'<section class="app-pack-section" id="([^"]+)"', html)
    assert anchors == [s["anchor"] for s in content["sections"]]
    assert html.count("<h2") == len(content["sections"])
    assert "<html" not in html and "<header" not in html and "<nav" not in html


def test_html_shows_responsibility_status_tags_and_delegation(pack, editor):
    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.get(responsibility__slug="responsible-officer")
    services.save_overlay(
        overlay=overlay,
        user=editor,
        status="delegated",
        delegated_to="Deputy Medical Director",
        note="Agreed by the board in **March**.",
    )
    html = render_snapshot_html(snapshot_draft(pack))
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Delegated</strong>' in html
    assert "To: Deputy Medical Director" in html
    assert "<strong>March</strong>" in html
    assert "nhsuk-tag--green" in html
    assert "Sources: GGI 4.1.2" in html


def test_html_draws_the_local_reporting_lines_with_a_text_equivalent(pack, editor):
    people = pack.sections.get(kind="people")
    for name, title, relation in [
        ("Dr Helen Price", "Chief Executive", "reports_to"),
        ("Dr Omar Haddad", "Deputy Medical Director", "reports_to_md"),
        ("Sam Okafor", "Director of Nursing", "works_with"),
    ]:
        services.add_post_holder(
            section=people,
            user=editor,
            name=name,
            title=title,
            relation=relation,
            contact=f"{name.split()[-1].lower()}@example.nhs.uk",
        )
    html = render_snapshot_html(snapshot_draft(pack))
    assert html.count("<svg") == 1
    assert 'role="img"' in html
    assert "Local reporting lines of the Medical Director" in html
    assert '<dt class="nhsuk-summary-list__key">Chief Executive</dt>' in html
    assert "The Medical Director reports to them" in html
    assert '<a href="mailto:price@example.nhs.uk">price@example.nhs.uk</a>' in html


def test_html_groups_the_checklist_by_timing(content):
    html = render_snapshot_html(content)
    headings = re.findall(r'<h3 class="app-checklist__timing">([^<]+)</h3>', html)
    assert headings == ["In the first week", "By day 30", "By day 60", "By day 100"]


def test_html_lists_the_glossary_as_definitions(content):
    html = render_snapshot_html(content)
    assert '<dl class="nhsuk-summary-list app-glossary">' in html
    assert '<abbr title="Non-executive director">NED</abbr>' in html or "NED</abbr>" in html


def test_footnotes_of_different_sections_do_not_share_ids(content):
    html = render_snapshot_html(content)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'id="section-5-fn:1"' in html


def test_hostile_local_content_is_escaped_everywhere(pack, editor):
    people = pack.sections.get(kind="people")
    services.add_post_holder(
        section=people,
        user=editor,
        name="<script>alert(1)</script>",
        title='"><img src=x onerror=alert(1)>',
        relation="reports_to",
        contact="javascript:alert(1)",
    )
    section = pack.sections.get(order=1)
    services.save_section(
        section=section,
        user=editor,
        expected_revision=section.revision,
        title="<iframe src=//evil>",
        body="[x](javascript:alert(1))",
    )
    html = render_snapshot_html(snapshot_draft(pack))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<iframe" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_renders_from_content_alone_without_the_database():
    content = {
        "format": FORMAT,
        "trust": "x",
        "title": "T",
        "sections": [{"title": "Only", "body": "Some *text*."}],
    }
    html = render_snapshot_html(content)
    assert '<section class="app-pack-section" id="section-1"' in html
    assert "<em>text</em>" in html


# --- import ---------------------------------------------------------------------------------


def test_export_then_import_round_trips(pack, editor, content):
    import_draft(pack, copy.deepcopy(content), user=editor)
    assert snapshot_draft(pack)["sections"] == content["sections"]
    assert AuditEvent.objects.filter(action="imported", actor=editor).exists()


def test_a_section_given_as_title_and_body_is_free_markdown(pack):
    import_draft(pack, {"sections": [{"title": "Only section", "body": "# Hello"}]}, user=None)
    [section] = pack.sections.all()
    assert (section.kind, section.title, section.body, section.order) == (
        "markdown",
        "Only section",
        "# Hello",
        1,
    )


def test_an_imported_responsibilities_section_covers_every_national_responsibility(pack):
    import_draft(
        pack,
        {
            "sections": [
                {
                    "title": "The role",
                    "kind": "responsibilities",
                    "responsibilities": [
                        {
                            "slug": "responsible-officer",
                            "status": "delegated",
                            "delegated_to": "Deputy Medical Director",
                            "title": "ignored on import",
                        },
                    ],
                }
            ]
        },
    )
    overlays = Section.objects.get(pack=pack).overlays.all()
    assert overlays.count() == pack.board_role.responsibilities.count()
    ro = overlays.get(responsibility__slug="responsible-officer")
    assert (ro.status, ro.delegated_to) == ("delegated", "Deputy Medical Director")
    assert ro.responsibility.title != "ignored on import"


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["sections"][2]["responsibilities"][1].update(status="maybe"),
            "sections[2].responsibilities[1].status: "
            "must be one of held, delegated, not_applicable",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(
                status="delegated", delegated_to=""
            ),
            "sections[2].responsibilities[0].delegated_to: name the post it is delegated to",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(slug="juggling"),
            "sections[2].responsibilities[0].slug: 'juggling' is not a national responsibility",
        ),
        (lambda d: d["sections"][0].update(title=""), "sections[0].title: must not be empty"),
        (lambda d: d["sections"][0].update(body="x" * 50_001), "sections[0].body: The text is"),
        (lambda d: d["sections"][0].update(body="a\x00b"), "sections[0].body: The text contains"),
        (lambda d: d["sections"][1].update(kind="video"), "sections[1].kind: must be one of"),
        (
            lambda d: d["sections"][6]["checklist"][0].update(due_by_day=45),
            "sections[6].checklist[0].due_by_day: must be one of 7, 30, 60, 100",
        ),
        (
            lambda d: d["sections"][6]["checklist"][0].update(category="party"),
            "sections[6].checklist[0].category: must be one of meet, read, training",
        ),
        (
            lambda d: d["sections"][3].update(
                post_holders=[{"name": "A", "title": "B", "relation": "boss"}]
            ),
            "sections[3].post_holders[0].relation: must be one of",
        ),
        (
            lambda d: d["sections"][0].update(stauts="held"),
            "sections[0].stauts: is not a field this format knows",
        ),
        (
            lambda d: d["sections"][0].update(checklist=[]),
            "sections[0].checklist: only a section of kind checklist has checklist",
        ),
        (lambda d: d.update(format="something/2"), "format: must be 'mdportal.induction-pack/1'"),
        (lambda d: d.update(sections=[]), "sections: must be a list with at least one section"),
        (lambda d: d["sections"].append("not an object"), "sections[10]: must be an object"),
    ],
)
def test_invalid_import_names_the_problem_and_changes_nothing(pack, content, mutate, message):
    data = copy.deepcopy(content)
    mutate(data)
    errors = validate_import(data, pack=pack)
    assert any(error.startswith(message) for error in errors), errors
    before = snapshot_draft(pack)
    with pytest.raises(ImportInvalid) as raised:
        import_draft(pack, data, user=None)
    assert any(m.startswith(message) for m in raised.value.messages)
    assert snapshot_draft(pack) == before
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_every_problem_is_reported_at_once(pack):
    errors = validate_import(
        {
            "sections": [
                {"title": ""},
                {"title": "ok", "kind": "checklist", "checklist": [{"category": "x", "text": ""}]},
            ]
        },
        pack=pack,
    )
    assert len(errors) == 3


def test_import_of_something_other_than_an_object_is_refused(pack):
    assert validate_import(["sections"], pack=pack) == [
        "The file must hold a JSON object with a list of sections"
    ]


def test_a_markdown_heading_cannot_take_the_section_title_s_id(pack, editor):
    section = pack.sections.get(order=1)
    services.save_section(
        section=section, user=editor, expected_revision=1, body="# Title\n\n# Heading\n\ntext"
    )
    html = render_snapshot_html(snapshot_draft(pack))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_checklist_steps_list_people_then_papers_then_training_within_a_timing():
    content = {
        "sections": [
            {
                "title": "First 100 days",
                "kind": "checklist",
                "body": "",
                "checklist": [
                    {"category": "training", "text": "Book a course", "due_by_day": 7},
                    {"category": "read", "text": "Read the papers", "due_by_day": 7},
                    {"category": "meet", "text": "Meet the Chair", "due_by_day": 7},
                ],
            }
        ]
    }
    html = render_snapshot_html(content)
    assert html.index("Meet the Chair") < html.index("Read the papers") < html.index("Book a")


def test_incomplete_content_still_renders():
    """A preview or an old snapshot may lack keys; the page must not break."""
    content = {
        "sections": [
            {"kind": "people", "post_holders": [{"name": "Dr A"}]},
            {"kind": "responsibilities", "responsibilities": [{"slug": "x"}]},
            {"kind": "checklist", "checklist": [{"text": "Meet", "due_by_day": 7}]},
            {"kind": "glossary"},
        ]
    }
    html = render_snapshot_html(content)
    assert html.count('<section class="app-pack-section"') == 4
    assert "Dr A" in html
