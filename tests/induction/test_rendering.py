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
    assert html.count('<div class="nhsuk-card app-responsibility">') == len(overlays)
    # Only the statements from the paper are cited; the duties since the paper are sourced by
    # their dated notes instead.
    from_the_paper = [o for o in overlays if o.responsibility.provenance == "paper"]
    assert len(from_the_paper) == 11
    assert len(sources) == len(from_the_paper)
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
    assert headings == [
        "In the first week",
        "By day 30",
        "By day 60",
        "At three months (review)",
        "By day 100",
        "At six months (review)",
    ]


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


# Responsibilities of every kind, with their provenance and later-development notes.

KIND_CAPTIONS = [
    "Should be part of the role, whatever the local variation",
    "Sometimes delegated, though often seen as the Medical Director&#x27;s",
    "Statutory and regulatory duties (since the paper)",
    "Reports usually taken to the board (since the paper)",
]


def responsibilities_html(*rows):
    """One responsibilities section holding `rows` as a snapshot (old or new) would."""
    section = {"kind": "responsibilities", "title": "The role here", "body": "", "anchor": "s"}
    return render_snapshot_html({"sections": [{**section, "responsibilities": list(rows)}]})


def group_captions(html):
    return re.findall(r'<h3 class="app-responsibilities__group">([^<]*)</h3>', html)


def card_titles(html):
    return re.findall(r'app-responsibility__title">([^<]*)</h4>', html)


def row(slug, kind=None, **fields):
    entry = {"slug": slug, "title": slug.title(), "description": f"About {slug}.",
             "status": "held", "delegated_to": "", "note": "", **fields}  # fmt: skip
    if kind is not None:
        entry["kind"] = kind
    return entry


LATER_NOTE = {
    "slug": "medical-examiners",
    "kind": "changed",
    "kind_label": "Changed since 2017",
    "title": "Medical examiners became statutory",
    "text": "Every death not investigated by a coroner is now scrutinised.",
    "when": "9 September 2024",
    "source_title": "The medical examiner system",
    "source_publisher": "NHS England",
    "source_url": "https://www.england.nhs.uk/patient-safety/medical-examiners/",
    "checked_on": "2026-11-30",
}


def test_every_kind_of_responsibility_is_shown_in_the_national_order(content):
    html = render_snapshot_html(content)
    section = next(s for s in content["sections"] if s["kind"] == "responsibilities")
    assert group_captions(html) == KIND_CAPTIONS
    assert len(card_titles(html)) == len(section["responsibilities"]) == 18
    statutory = html.index(KIND_CAPTIONS[2])
    assert html.index("Act as case manager for serious concerns") > statutory
    assert html.index("Yearly report on appraisal and revalidation") > html.index(
        KIND_CAPTIONS[3]
    )


def test_the_overstated_captions_are_gone(content):
    html = render_snapshot_html(content)
    assert "in every trust" not in html
    assert "often delegated" not in html
    assert "Core responsibilities" not in html


def test_groups_follow_the_national_order_whatever_order_the_rows_come_in():
    html = responsibilities_html(
        row("report", "board_report", kind_label="Reports to the board"),
        row("duty", "statutory", kind_label="Statutory duties"),
        row("delegable", "delegated", kind_label="Sometimes delegated"),
        row("core", "core", kind_label="Part of the role"),
    )
    assert group_captions(html) == [
        "Part of the role", "Sometimes delegated", "Statutory duties", "Reports to the board",
    ]  # fmt: skip
    assert card_titles(html) == ["Core", "Delegable", "Duty", "Report"]


def test_a_row_of_an_unknown_kind_is_shown_in_a_last_group_not_dropped():
    html = responsibilities_html(
        row("mystery", "some_future_kind"),
        row("labelled", "another_kind", kind_label="Duties from a later format"),
        row("core", "core", kind_label="Part of the role"),
    )
    assert group_captions(html) == [
        "Part of the role", "Other responsibilities", "Duties from a later format",
    ]  # fmt: skip
    assert card_titles(html) == ["Core", "Mystery", "Labelled"]


def test_an_old_snapshot_without_kind_labels_gets_the_papers_own_wording():
    html = responsibilities_html(
        row("strategy", "core", citations=["GGI paper 4.1.2"]),
        row("education", "delegated", citations=["GGI paper 4.1.2"]),
        row("no-kind-at-all", citations=["GGI paper 4.1.3"]),
    )
    assert group_captions(html) == KIND_CAPTIONS[:2]
    # A row frozen before kinds existed was a core one.
    assert card_titles(html) == ["Strategy", "No-Kind-At-All", "Education"]


def test_an_old_snapshot_renders_as_it_always_did():
    """A version frozen before provenance, explanations and notes: no new block appears, and
    its citations are shown as sources (everything then came from the paper)."""
    html = responsibilities_html(
        row("strategy", "core", citations=["GGI paper 4.1.2", "NHS Confederation 2009, p2"])
    )
    assert (
        '<p class="app-citation nhsuk-body-s nhsuk-u-secondary-text-colour">'
        "Sources: GGI paper 4.1.2; NHS Confederation 2009, p2</p>"
    ) in html
    absent_from_old_versions = [
        "app-responsibility__in-practice",
        "app-responsibility__later",
        "app-responsibility__facts",
        "app-provenance",
        "In practice:",
        "How often",
    ]
    for absent in absent_from_old_versions:
        assert absent not in html, absent


def test_a_statement_from_the_paper_lists_its_sources():
    html = responsibilities_html(
        row("strategy", "core", provenance="paper", citations=["GGI paper 4.1.2"])
    )
    assert "Sources: GGI paper 4.1.2</p>" in html
    assert "Our explanation" not in html


def test_our_own_explanation_is_marked_as_ours_and_never_cited():
    html = responsibilities_html(
        row("ours", "core", provenance="editorial", citations=["GGI paper 4.1.2"])
    )
    assert (
        '<p class="app-provenance nhsuk-body-s nhsuk-u-secondary-text-colour">'
        "Our explanation, not from the paper</p>"
    ) in html
    assert "Sources:" not in html
    assert "GGI paper" not in html


def test_a_later_development_has_no_sources_line_its_notes_carry_them():
    html = responsibilities_html(
        row("psirf", "statutory", provenance="later", citations=[], later_developments=[LATER_NOTE])
    )
    assert "Sources:" not in html
    assert "Our explanation" not in html
    assert html.count("Source: ") == 1


def test_the_portals_explanation_is_shown_apart_from_the_national_text_with_its_label():
    html = responsibilities_html(
        row(
            "strategy",
            "core",
            description="The national text.",
            in_practice={"text": "Ask for the <b>plan</b> & its dates.",
                         "label": "Our explanation, not from the paper"},
        )
    )  # fmt: skip
    block = re.search(r'<div class="app-responsibility__in-practice">(.*?)</div>', html, re.S)
    assert block, html
    assert (
        "<strong>In practice:</strong> Ask for the &lt;b&gt;plan&lt;/b&gt; &amp; its dates."
        in block.group(1)
    )
    assert "Our explanation, not from the paper" in block.group(1)
    assert "The national text." not in block.group(1)
    assert html.index("The national text.") < html.index("In practice:")


def test_an_explanation_without_its_label_is_still_marked_as_ours():
    html = responsibilities_html(row("strategy", "core", in_practice={"text": "Our words."}))
    assert "Our words." in html
    assert "Our explanation, not from the paper" in html


def test_a_board_report_says_how_often_and_where_it_goes():
    html = responsibilities_html(
        row("report", "board_report", frequency="Once a year", committee="The board & its QSC")
    )
    assert (
        '<dt class="nhsuk-summary-list__key">How often</dt>'
        '<dd class="nhsuk-summary-list__value">Once a year</dd>'
    ) in html
    assert (
        '<dt class="nhsuk-summary-list__key">Where it goes</dt>'
        '<dd class="nhsuk-summary-list__value">The board &amp; its QSC</dd>'
    ) in html


def test_only_the_board_report_facts_a_row_has_are_shown():
    html = responsibilities_html(row("report", "board_report", frequency="Every quarter"))
    assert "How often" in html
    assert "Where it goes" not in html


def test_the_board_reports_of_the_national_model_show_their_frequency_and_committee(content):
    html = render_snapshot_html(content)
    assert html.count('<dl class="nhsuk-summary-list app-responsibility__facts">') == 3
    assert '<dd class="nhsuk-summary-list__value">Every quarter, with a yearly report</dd>' in html


def test_a_later_development_note_shows_its_tag_title_date_text_source_and_check():
    html = responsibilities_html(
        row("deaths", "statutory", provenance="later", later_developments=[LATER_NOTE])
    )
    note = re.search(r'<div class="app-responsibility__later">(.*?)</div>', html, re.S).group(1)
    assert (
        '<strong class="nhsuk-tag nhsuk-tag--yellow">Changed since 2017</strong> '
        "<strong>Medical examiners became statutory</strong> (9 September 2024)"
    ) in note
    assert "Every death not investigated by a coroner is now scrutinised." in note
    assert (
        'Source: <a href="https://www.england.nhs.uk/patient-safety/medical-examiners/">'
        "The medical examiner system</a>, NHS England. Checked 30 November 2026."
    ) in note


def test_a_note_without_a_date_or_of_another_kind_reads_cleanly():
    note = {**LATER_NOTE, "kind": "context", "kind_label": "Not covered by the paper", "when": ""}
    html = responsibilities_html(row("x", "statutory", later_developments=[note]))
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Not covered by the paper</strong>' in html
    assert "<strong>Medical examiners became statutory</strong></p>" in html
    assert "()" not in html


def test_every_note_of_a_responsibility_is_shown_in_order():
    second = {**LATER_NOTE, "slug": "b", "title": "Second note"}
    html = responsibilities_html(
        row("x", "statutory", later_developments=[LATER_NOTE, second])
    )
    assert html.count('<div class="app-responsibility__later">') == 2
    assert html.index("Medical examiners became statutory") < html.index("Second note")


def test_the_national_notes_reach_the_pack(content):
    html = render_snapshot_html(content)
    section = next(s for s in content["sections"] if s["kind"] == "responsibilities")
    notes = [n for r in section["responsibilities"] for n in r["later_developments"]]
    assert notes
    assert html.count('<div class="app-responsibility__later">') == len(notes)
    for note in notes:
        assert f'<a href="{note["source_url"]}">' in html
        assert note["source_url"].startswith("https://")


def test_hostile_text_in_a_later_development_note_is_escaped():
    hostile = {
        **LATER_NOTE,
        "kind_label": "<script>alert(1)</script>",
        "title": '"><img src=x onerror=alert(1)>',
        "text": "<iframe src=//evil></iframe>",
        "when": "<b>now</b>",
        "source_title": "<svg onload=alert(1)>",
        "source_publisher": "</p><script>x()</script>",
        "source_url": 'https://example.org/"><script>alert(1)</script>',
    }
    html = responsibilities_html(row("x", "statutory", later_developments=[hostile]))
    for raw in ["<script", "<img", "<iframe", "<svg", "<b>now"]:
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.example"]
)
def test_a_note_s_source_is_linked_only_when_it_is_a_web_address(url):
    html = responsibilities_html(
        row("x", "statutory", later_developments=[{**LATER_NOTE, "source_url": url}])
    )
    assert "<a href" not in html
    assert "Source: The medical examiner system, NHS England." in html


def test_a_note_with_an_unreadable_check_date_leaves_the_date_out():
    html = responsibilities_html(
        row("x", "statutory", later_developments=[{**LATER_NOTE, "checked_on": "soon"}])
    )
    assert "Checked" not in html
    assert "NHS England.</p>" in html


def test_a_snapshot_without_a_board_role_name_is_worded_for_the_role_holder(content):
    """Packs are per board role: no page falls back on one role's name ("Medical Director")."""
    del content["board_role_name"]
    html = render_snapshot_html(content)
    assert "Held by the board role-holder" in html
    assert "Held by the Medical Director" not in html
