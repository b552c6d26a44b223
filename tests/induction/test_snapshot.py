"""The pack JSON format: the snapshot of a draft, and `section_snapshot`, which freezes a
section the same way for publishing and for the editor's unsaved preview."""

import re

import pytest

from induction import services
from induction.snapshot import FORMAT, contents, section_snapshot, snapshot_draft

# The first core responsibility of the national Medical Director role, as fixtures/roles.json
# cites it.
CLINICAL_STRATEGY_CITATIONS = ["GGI paper 4.1.2, 4.1.3, 6.2.3", "NHS Confederation 2009, p2"]


@pytest.fixture
def content(pack):
    return snapshot_draft(pack)


def section_data(content, kind):
    return next(s for s in content["sections"] if s["kind"] == kind)


# --- the draft as a whole -------------------------------------------------------------------


def test_snapshot_names_its_format_trust_and_role(content):
    assert content["format"] == FORMAT == "mdportal.induction-pack/1"
    assert content["trust"] == "testshire"
    assert content["trust_name"] == "Testshire Hospitals NHS Foundation Trust"
    assert content["board_role"] == "medical-director"
    assert content["board_role_name"] == "Medical Director"
    assert content["title"] == "Medical Director induction pack"


def test_each_section_has_an_anchor_title_kind_and_body(content):
    for position, section in enumerate(content["sections"], start=1):
        assert section["anchor"] == f"section-{position}"
        assert section["title"] and section["kind"]
        assert isinstance(section["body"], str)


def test_contents_lists_each_section_s_anchor_and_title_in_order(content):
    listed = contents(content)
    assert listed[:3] == [
        {"anchor": "section-1", "title": "Welcome"},
        {"anchor": "section-2", "title": "About Testshire Hospitals NHS Foundation Trust"},
        {"anchor": "section-3", "title": "The Medical Director role here"},
    ]
    assert len(listed) == 10


def test_responsibilities_carry_the_national_text_and_local_choices(pack, editor):
    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.get(responsibility__slug="responsible-officer")
    services.save_section(
        section=section,
        user=editor,
        expected_revision=1,
        overlays={
            overlay.pk: {
                "status": "delegated",
                "delegated_to": "Deputy Medical Director",
                "note": "Since 2024.",
            }
        },
    )
    responsibilities = section_data(snapshot_draft(pack), "responsibilities")["responsibilities"]
    first = responsibilities[0]
    assert set(first) == {
        "slug",
        "title",
        "description",
        "kind",
        "kind_label",
        "provenance",
        "provenance_label",
        "status",
        "delegated_to",
        "note",
        "citations",
        "in_practice",
        "later_developments",
    }
    assert (first["slug"], first["kind"], first["status"]) == ("clinical-strategy", "core", "held")
    assert first["citations"] == CLINICAL_STRATEGY_CITATIONS
    assert (first["provenance"], first["provenance_label"]) == ("paper", "From the paper")
    assert first["kind_label"] == "Should be part of the role, whatever the local variation"
    # The paper's two kinds come first, then the duties since the paper, as in the explainer.
    kinds = [item["kind"] for item in responsibilities]
    assert kinds == sorted(kinds, key=["core", "delegated", "statutory", "board_report"].index)
    assert kinds[-1] == "board_report"
    officer = next(r for r in responsibilities if r["slug"] == "responsible-officer")
    assert (officer["status"], officer["delegated_to"], officer["note"]) == (
        "delegated",
        "Deputy Medical Director",
        "Since 2024.",
    )


def test_people_checklist_and_glossary_are_listed(pack, editor):
    services.save_section(
        section=pack.sections.get(kind="people"),
        user=editor,
        expected_revision=1,
        post_holders=[
            {
                "name": "Dr Helen Price",
                "title": "Chief Executive",
                "relation": "reports_to",
                "contact": "helen.price@example.nhs.uk",
            }
        ],
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
    assert checklist
    # Each step carries its ChecklistItem's stable key, so that a reader's tick survives edits.
    items = {item.key: item for item in pack.sections.get(kind="checklist").checklist.all()}
    assert {step["key"] for step in checklist} == set(items)
    for step in checklist:
        assert set(step) == {"key", "category", "text", "due_by_day"}
        assert re.fullmatch(r"[0-9a-f]{32}", step["key"]), step["key"]
        item = items[step["key"]]
        assert (step["category"], step["text"], step["due_by_day"]) == (
            item.category, item.text, item.due_by_day
        )
    glossary = section_data(content, "glossary")["glossary"]
    assert all({"abbreviation", "term", "definition"} <= set(entry) for entry in glossary)
    assert all(
        set(entry) <= {"abbreviation", "term", "definition", "later_developments"}
        for entry in glossary
    )
    assert any(entry["abbreviation"] == "NED" for entry in glossary)


def test_a_glossary_term_s_changed_since_2017_notes_are_frozen_and_shown(pack, attach_note):
    import datetime

    from induction.rendering import render_snapshot_html
    from roles.models import GlossaryTerm

    attach_note(
        GlossaryTerm.objects.get(abbreviation="NED"),
        title="A <b>changed</b> term",
        effective=datetime.date(2022, 7, 1),
        source_url="https://www.england.nhs.uk/glossary/",
    )
    content = snapshot_draft(pack)
    glossary = section_data(content, "glossary")["glossary"]
    [entry] = [e for e in glossary if e["abbreviation"] == "NED"]
    [frozen] = entry["later_developments"]
    assert (frozen["title"], frozen["when"], frozen["checked_on"]) == (
        "A <b>changed</b> term", "1 July 2022", "2026-11-30"
    )
    html = render_snapshot_html(content)
    assert "A &lt;b&gt;changed&lt;/b&gt; term (1 July 2022)" in html
    assert '<a href="https://www.england.nhs.uk/glossary/">The source</a>, NHS England.' in html
    assert "Changed since 2017" in html


def test_snapshot_queries_do_not_grow_with_sections(pack, editor, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        snapshot_draft(pack)
    for n in range(10):
        services.add_section(pack=pack, user=editor, title=f"Extra {n}", kind="people")
        services.add_section(pack=pack, user=editor, title=f"More {n}", kind="responsibilities")
    with django_assert_max_num_queries(len(few)):
        snapshot_draft(pack)


# --- one section: the preview and publishing freeze it alike --------------------------------


def test_a_responsibilities_section_snapshot_carries_each_responsibility_s_citations(pack):
    section = pack.sections.get(kind="responsibilities")
    entry = section_snapshot(
        section, position=3, overlays=services.overlays_with_changes(section, {})
    )
    responsibilities = entry["responsibilities"]
    assert len(responsibilities) == pack.board_role.responsibilities.count()
    # Statements from the paper cite it; the duties since the paper carry their dated notes.
    from_the_paper = [item for item in responsibilities if item["provenance"] == "paper"]
    later = [item for item in responsibilities if item["provenance"] == "later"]
    assert from_the_paper and later
    assert all(item["citations"] for item in from_the_paper)
    assert all(not item["citations"] and item["later_developments"] for item in later)
    assert responsibilities[0]["citations"] == CLINICAL_STRATEGY_CITATIONS


def test_a_snapshot_freezes_each_duty_s_provenance_explanation_and_dated_notes(pack):
    section = pack.sections.get(kind="responsibilities")
    entry = section_snapshot(
        section, position=3, overlays=services.overlays_with_changes(section, {})
    )
    by_slug = {item["slug"]: item for item in entry["responsibilities"]}
    case_manager = by_slug["mhps-case-manager"]
    assert case_manager["kind"] == "statutory"
    assert case_manager["provenance_label"] == "A later development, sourced and dated"
    # The portal's own explanation is frozen with the label that says whose words it is.
    assert case_manager["in_practice"]["label"] == "Our explanation, not from the paper"
    assert case_manager["in_practice"]["text"].startswith("If the trust's local policy")
    assert "frequency" not in case_manager and "committee" not in case_manager
    report = by_slug["revalidation-annual-report"]
    assert (report["kind"], report["frequency"]) == ("board_report", "Once a year")
    assert report["committee"].startswith("The board")
    assert "in_practice" not in report
    notes = {note["slug"]: note for item in entry["responsibilities"]
             for note in item["later_developments"]}  # fmt: skip
    examiners = notes["medical-examiners"]
    assert examiners == {
        "slug": "medical-examiners",
        "kind": "changed",
        "kind_label": "Changed since 2017",
        "title": "The statutory medical examiner system",
        "text": examiners["text"],
        "when": "9 September 2024",
        "source_title": "National Medical Examiner report 2024",
        "source_publisher": "NHS England",
        "source_url": "https://www.england.nhs.uk/long-read/national-medical-examiner-report-2024",
        "checked_on": "2026-11-30",
    }
    assert examiners["text"]



def test_the_preview_of_unsaved_changes_is_what_publishing_would_freeze(pack, editor):
    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.get(responsibility__slug="responsible-officer")
    changes = {
        overlay.pk: {
            "status": "delegated",
            "delegated_to": "Deputy Medical Director",
            "note": "Agreed by the board in **March**.",
        }
    }
    preview = section_snapshot(
        section, position=3, overlays=services.overlays_with_changes(section, changes)
    )
    services.save_section(section=section, user=editor, expected_revision=1, overlays=changes)
    assert preview == section_data(snapshot_draft(pack), "responsibilities")
    assert preview["anchor"] == "section-3"


def test_the_preview_of_unsaved_changes_saves_nothing(pack):
    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.get(responsibility__slug="responsible-officer")
    services.overlays_with_changes(
        section, {overlay.pk: {"status": "delegated", "delegated_to": "Deputy Medical Director"}}
    )
    overlay.refresh_from_db()
    section.refresh_from_db()
    assert (overlay.status, overlay.delegated_to, section.revision) == ("held", "", 1)


def test_a_version_frozen_before_provenance_and_notes_still_renders():
    # Versions published before a responsibility carried its provenance, explanation and dated
    # notes hold only the first eight keys; they must read as they did.
    from induction.rendering import render_snapshot_html

    old = {
        "format": FORMAT,
        "board_role_name": "Medical Director",
        "sections": [
            {
                "anchor": "section-1",
                "title": "The role here",
                "kind": "responsibilities",
                "body": "",
                "responsibilities": [
                    {
                        "slug": "clinical-strategy",
                        "title": "Lead the clinical strategy",
                        "description": "Sets the direction of clinical services.",
                        "kind": "core",
                        "status": "held",
                        "delegated_to": "",
                        "note": "",
                        "citations": ["GGI paper 4.1.2"],
                    }
                ],
            }
        ],
    }
    html = render_snapshot_html(old)
    assert "Lead the clinical strategy" in html
    assert "GGI paper 4.1.2" in html
