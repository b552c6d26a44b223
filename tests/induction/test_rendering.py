"""A snapshot as HTML: the body that the reading view, the previews and the PDF share."""

import re

import pytest

from induction import services
from induction.rendering import render_snapshot_html, split_sections
from induction.snapshot import FORMAT, section_snapshot, snapshot_draft


@pytest.fixture
def content(pack):
    return snapshot_draft(pack)


def test_html_has_one_section_and_heading_per_section(content):
    html = render_snapshot_html(content)
    anchors = re.findall(r'<section class="app-pack-section" id="([^"]+)"', html)
    assert anchors == [s["anchor"] for s in content["sections"]]
    assert html.count("<h2") == len(content["sections"])
    assert "<html" not in html and "<header" not in html and "<nav" not in html


def test_html_shows_responsibility_status_tags_delegation_and_sources(pack, editor):
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
                "note": "Agreed by the board in **March**.",
            }
        },
    )
    html = render_snapshot_html(snapshot_draft(pack))
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Delegated</strong>' in html
    assert "To: Deputy Medical Director" in html
    assert "<strong>March</strong>" in html
    assert (
        '<strong class="nhsuk-tag nhsuk-tag--green">Held by the Medical Director</strong>' in html
    )
    assert (
        '<p class="app-citation nhsuk-body-s nhsuk-u-secondary-text-colour">'
        "Sources: GGI paper 4.1.2, 4.1.3, 6.2.3; NHS Confederation 2009, p2</p>"
    ) in html


def test_the_editor_preview_of_a_responsibilities_section_shows_its_sources(pack):
    """The preview is rendered from `section_snapshot` of the unsaved overlays, as the
    section editor does, so it cites its sources as the published pack does."""
    section = pack.sections.get(kind="responsibilities")
    overlays = services.overlays_with_changes(section, {})
    entry = {**section_snapshot(section, position=1, overlays=overlays), "anchor": "preview"}
    html = render_snapshot_html({"board_role_name": "Medical Director", "sections": [entry]})
    sources = re.findall(r'<p class="app-citation[^"]*">([^<]*)</p>', html)
    assert len(sources) == len(overlays)
    assert all(line.startswith("Sources: GGI paper ") for line in sources)
    assert sources[0] == "Sources: GGI paper 4.1.2, 4.1.3, 6.2.3; NHS Confederation 2009, p2"


def test_html_draws_the_local_reporting_lines_with_a_text_equivalent(pack, editor):
    services.save_section(
        section=pack.sections.get(kind="people"),
        user=editor,
        expected_revision=1,
        post_holders=[
            {
                "name": name,
                "title": title,
                "relation": relation,
                "contact": f"{name.split()[-1].lower()}@example.nhs.uk",
            }
            for name, title, relation in [
                ("Dr Helen Price", "Chief Executive", "reports_to"),
                ("Dr Omar Haddad", "Deputy Medical Director", "reports_to_md"),
                ("Sam Okafor", "Director of Nursing", "works_with"),
            ]
        ],
    )
    html = render_snapshot_html(snapshot_draft(pack))
    assert html.count("<svg") == 1
    assert 'role="img"' in html
    assert "Local reporting lines of the Medical Director" in html
    assert '<dt class="nhsuk-summary-list__key">Chief Executive</dt>' in html
    assert "The Medical Director reports to them" in html
    assert "Reports to the Medical Director" in html
    assert "Works closely with the Medical Director" in html
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


def test_a_markdown_heading_cannot_take_the_section_title_s_id(pack, editor):
    section = pack.sections.get(order=1)
    services.save_section(
        section=section, user=editor, expected_revision=1, body="# Title\n\n# Heading\n\ntext"
    )
    html = render_snapshot_html(snapshot_draft(pack))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_hostile_local_content_is_escaped_everywhere(pack, editor):
    services.save_section(
        section=pack.sections.get(kind="people"),
        user=editor,
        expected_revision=1,
        post_holders=[
            {
                "name": "<script>alert(1)</script>",
                "title": '"><img src=x onerror=alert(1)>',
                "relation": "reports_to",
                "contact": "javascript:alert(1)",
            }
        ],
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


NOTE_WITH_HEADING_AND_FOOTNOTE = "# maincontent\n\nA note[^1].\n\n[^1]: A source"


def test_a_heading_in_a_responsibility_note_cannot_take_the_skip_link_s_target(pack, editor):
    """`# maincontent` in a note once became id="maincontent", the skip link's target."""
    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.select_related("responsibility").first()
    services.save_section(
        section=section,
        user=editor,
        expected_revision=section.revision,
        overlays={overlay.pk: {"status": "held", "note": NOTE_WITH_HEADING_AND_FOOTNOTE}},
    )
    html = render_snapshot_html(snapshot_draft(pack))
    ids = re.findall(r' id="([^"]+)"', html)
    assert "maincontent" not in ids
    assert not [i for i in ids if i.startswith("fn")], ids
    assert len(ids) == len(set(ids))
    assert f'id="{section_anchor(pack, section)}-{overlay.responsibility.slug}-maincontent"' in html


def section_anchor(pack, section):
    return f"section-{list(pack.sections.values_list('pk', flat=True)).index(section.pk) + 1}"


def test_split_sections_gives_each_section_whole_and_in_order(content):
    html = render_snapshot_html(content)
    sections = split_sections(html)
    assert list(sections) == [s["anchor"] for s in content["sections"]]
    for anchor, part in sections.items():
        assert part.startswith(f'<section class="app-pack-section" id="{anchor}"')
        assert part.endswith("</section>")
        assert part.count("<section") == part.count("</section>") == 1
        assert part in html
    assert "".join(sections.values()).count("<h2") == len(content["sections"])


def test_a_section_split_out_keeps_its_footnotes_and_diagram(content):
    sections = split_sections(render_snapshot_html(content))
    assert 'id="section-5-fn:1"' in sections["section-5"]
    assert 'id="section-5-fn:1"' not in sections["section-4"]
    people = next(s["anchor"] for s in content["sections"] if s["kind"] == "people")
    assert "<svg" in sections[people] or not content["sections"][3].get("post_holders")


def test_split_sections_ignores_markup_that_is_not_a_pack_section():
    assert split_sections("<p>no sections</p>") == {}
    # Trust text can never hold a <section> (the sanitiser removes it), so an opening tag
    # written as text is escaped and not taken for one.
    html = (
        '<section class="app-pack-section" id="section-1"><h2>A</h2>'
        '<p>&lt;section class="app-pack-section" id="x"&gt;</p></section>'
    )
    assert list(split_sections(html)) == ["section-1"]


def test_responsibilities_read_as_one_card_each_with_title_holding_text_and_sources(content):
    html = render_snapshot_html(content)
    section = next(s for s in content["sections"] if s["kind"] == "responsibilities")
    count = len(section["responsibilities"])
    assert html.count('<div class="nhsuk-card app-responsibility">') == count
    assert (
        html.count('<h4 class="nhsuk-card__heading nhsuk-heading-s app-responsibility__title">')
        == count
    )
    assert html.count('<p class="app-responsibility__description">') == count
    assert "<table" not in split_sections(html)[section["anchor"]]


def test_a_local_note_s_headings_sit_below_the_responsibility_s_heading(pack, editor):
    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.first()
    services.save_section(
        section=section,
        user=editor,
        expected_revision=1,
        overlays={
            overlay.pk: {"status": "held", "delegated_to": "", "note": "# Meetings\n\nWeekly."}
        },
    )
    html = render_snapshot_html(snapshot_draft(pack))
    assert re.search(r"<h5[^>]*>Meetings</h5>", html)
