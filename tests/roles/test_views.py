"""The public explainer pages: content, citations, glossary links, 404s and safe output."""

import re

import pytest
from django.urls import reverse

from roles.evidence import PARTS, finding_url
from roles.models import (
    BoardQuestion,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Provenance,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

from .conftest import cite, make_role, page_structure

pytestmark = pytest.mark.django_db

MD_URL = "/roles/medical-director/"
RELATIONSHIPS_URL = "/roles/medical-director/working-with-others/"
EVIDENCE_URL = "/roles/medical-director/evidence/"
PART_URL = EVIDENCE_URL
NED_URL = "/roles/for-non-executive-directors/"
SOURCES_URL = "/roles/sources/"
GLOSSARY_URL = "/roles/glossary/"
CHANGES_URL = "/roles/changes-since-2017/"
PAGE_URLS = [
    MD_URL,
    RELATIONSHIPS_URL,
    EVIDENCE_URL,
    EVIDENCE_URL + "background/",
    EVIDENCE_URL + "effectiveness/",
    NED_URL,
    SOURCES_URL,
    "/roles/sources/monitor-2014/",
    "/roles/sources/ggi-2017/",
    GLOSSARY_URL,
    "/roles/chief-executive/",
    CHANGES_URL,
]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def text_of(response) -> str:
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The HTML of the <section id=anchor> on a page."""
    start = re.search(rf'<section[^>]* id="{re.escape(anchor)}"', html).start()
    return html[start : html.index("</section>", start)]


def test_url_names_stay_as_other_apps_use_them():
    assert reverse("roles:role_detail", kwargs={"slug": "medical-director"}) == MD_URL
    assert reverse("roles:for_neds") == NED_URL
    assert reverse("roles:sources") == SOURCES_URL
    assert reverse("roles:source_detail", kwargs={"key": "x"}) == "/roles/sources/x/"
    assert reverse("roles:glossary") == GLOSSARY_URL
    assert reverse("roles:evidence") == EVIDENCE_URL
    assert reverse("roles:relationships") == RELATIONSHIPS_URL
    assert reverse("roles:evidence_part", kwargs={"part": "x"}) == EVIDENCE_URL + "x/"


@pytest.mark.parametrize("url", PAGE_URLS)
def test_every_page_is_public_and_well_formed(client, explainer, url):
    response = client.get(url)
    assert response.status_code == 200
    html = text_of(response)
    structure = page_structure(response)
    assert len(structure.ids) == len(set(structure.ids)), "ids must be unique"
    assert structure.headings[0] == 1 and structure.headings.count(1) == 1
    # No heading skips a level on the way down.
    assert all(b <= a + 1 for a, b in zip(structure.headings, structure.headings[1:], strict=False))
    assert structure.style_attributes == 0
    assert structure.inline_scripts == 0
    # Template syntax never reaches the reader (a {# #} comment is one line only).
    assert not re.search(r"\{#|#\}|\{%|%\}", html)
    assert 'href="/static/css/roles.css"' in html
    assert '<nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">' in html
    assert re.search(r"<title>[^<]+ – NHS board induction</title>", html)


@pytest.mark.parametrize("url", PAGE_URLS)
def test_every_citation_link_leads_to_a_source_page(client, explainer, url):
    structure = page_structure(client.get(url))
    source_links = {
        h for h in structure.hrefs if h.startswith("/roles/sources/") and h != SOURCES_URL
    }
    for href in source_links:
        page, _, anchor = href.partition("#")
        response = client.get(page)
        assert response.status_code == 200, href
        # A citation lands on the paragraph or page it names, not the top of a long page.
        if anchor:
            assert anchor in page_structure(response).ids, href


def test_every_statement_from_the_paper_links_to_its_paragraph(client, explainer):
    for url in (MD_URL, RELATIONSHIPS_URL, NED_URL, EVIDENCE_URL + "background/"):
        hrefs = page_structure(client.get(url)).hrefs
        paper_links = [h for h in hrefs if h.startswith("/roles/sources/ggi-2017/")]
        assert paper_links, url
        assert all("#paragraph-" in h for h in paper_links), url


def test_statutory_duties_and_board_reports_show_their_notes_not_a_citation(client, explainer):
    html = text_of(client.get(MD_URL))
    assert '<h3 id="responsibilities-statutory">Statutory and regulatory duties' in html
    assert '<h3 id="responsibilities-board_report">Reports usually taken to the board' in html
    statutory = html[html.index('id="responsibility-statutory-0"') :]
    statutory = statutory[: statutory.index("</li>")]
    assert "Sources: " not in statutory and "GGI paper" not in statutory
    assert "Changed since the paper 0" in statutory
    assert 'Source: <a href="https://example.org/note-0">Source of note-0</a>' in statutory
    assert "Checked 30 November 2026" in statutory
    # What the duty means in practice is the portal's own explanation, and says so.
    assert "What statutory duty 0 asks day to day." in statutory
    assert "Our explanation, not from the paper." in statutory
    report = html[html.index('id="responsibility-board-report-0"') :]
    report = report[: report.index("</li>")]
    assert "How often</dt>" in report and ">Quarterly</dd>" in report
    assert "Where it goes</dt>" in report and ">Quality committee</dd>" in report


def test_an_editorial_statement_is_marked_as_ours_and_shows_no_citation(client, explainer):
    Relationship.objects.filter(other_role=explainer.ned).update(
        provenance=Provenance.EDITORIAL
    )
    html = section(text_of(client.get(RELATIONSHIPS_URL)), "relationship-non-executive-director")
    summary = html[: html.index("What good looks like")]
    assert "Our explanation, not from the paper." in summary
    assert "#paragraph-6-2-1" not in summary
    # Its good practice points still cite where they come from.
    assert '<a href="/roles/sources/monitor-2014/#page-p16">Monitor 2014, p16</a>' in html


@pytest.mark.parametrize("url", [u for u in PAGE_URLS if u.startswith(("/roles/medical", NED_URL))])
def test_every_guide_page_says_what_the_evidence_is_and_when_it_was_reviewed(
    client, explainer, url
):
    html = text_of(client.get(url))
    assert "a 2017 paper by the Good Governance Institute" in html
    assert f'<a href="{CHANGES_URL}">what has changed since 2017</a>' in html
    assert "Page last reviewed: 30 November 2026" in html
    assert "Next review due: 30 November 2027" in html


def test_changes_page_lists_every_note_with_its_source_and_where_it_shows(client, explainer):
    html = text_of(client.get(CHANGES_URL))
    note = explainer.notes[0]
    change = section(html, note.anchor)
    assert f'<h2 id="{note.anchor}-heading" class="nhsuk-heading-m">{note.title}</h2>' in change
    assert "1 July 2022" in change
    assert f'<a href="{note.source_url}">{note.source_title}</a>, NHS England.' in change
    assert "Checked 30 November 2026." in change
    for statement in explainer.responsibilities[-2:]:
        assert f'href="{MD_URL}#responsibility-{statement.slug}"' in change
    assert f'href="{finding_url(explainer.findings[0])}"' in change
    # Each inline note links to its entry here.
    assert f'href="{CHANGES_URL}#{note.anchor}"' in text_of(client.get(MD_URL))


def test_medical_director_page_is_the_guide_entry_point(client, explainer):
    response = client.get(MD_URL)
    html = text_of(response)
    assert "<title>The Medical Director role – NHS board induction</title>" in html
    assert '<nav class="nhsuk-contents-list" aria-label="Pages in this guide">' in html
    assert '<li class="nhsuk-contents-list__item" aria-current="page">' in html
    for url in (RELATIONSHIPS_URL, EVIDENCE_URL, NED_URL):
        assert f'class="nhsuk-contents-list__link" href="{url}"' in html
    assert "A board member with a clinical background." in html
    assert 'class="nhsuk-breadcrumb__link" href="/">Home</a>' in html


def test_medical_director_page_lists_core_and_delegated_responsibilities(client, explainer):
    html = text_of(client.get(MD_URL))
    # The labels say what the paper says, no more (issue 10: "every trust", "commonly").
    assert "Should be part of the role, whatever the local variation" in html
    assert "Sometimes delegated, though often seen as the Medical Director" in html
    assert "part of the role in every trust" not in html
    assert "Commonly delegated" not in html
    for responsibility in explainer.responsibilities:
        assert f'id="responsibility-{responsibility.slug}"' in html
        assert responsibility.title in html
    assert "Sources: " in html
    assert 'GGI paper <a href="/roles/sources/ggi-2017/#paragraph-4-1-2">4.1.2</a>' in html
    assert (
        '<a href="/roles/sources/nhs-confederation-2009/#page-p2">NHS Confederation 2009, p2</a>'
    ) in html


def test_medical_director_page_draws_reporting_lines_with_a_text_equivalent(client, explainer):
    html = text_of(client.get(MD_URL))
    # A wide diagram scrolls on a narrow screen, so its box is a labelled, focusable region.
    assert (
        '<div class="app-figure__diagram" role="region" aria-label="Reporting lines diagram" '
        'tabindex="0"><svg xmlns'
    ) in html
    svg = html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns"))]
    assert 'role="img"' in svg
    assert 'aria-labelledby="diagram-medical-director-title diagram-medical-director-desc"' in svg
    for name in ("Chief Executive", "Trust board", "Clinical director 0"):
        assert name in svg
    table = html[html.index("<table") : html.index("</table>")]
    assert "Reporting lines and accountabilities of the Medical Director" in table
    assert 'scope="col"' in table
    assert "Line management" in table and "Board membership" in table
    assert "Professional leadership" in table
    assert '<a href="/roles/chief-executive/">Chief Executive</a>' in table


def test_md_relationships_page_shows_each_relationship_and_what_good_looks_like(
    client, explainer
):
    html = text_of(client.get(RELATIONSHIPS_URL))
    assert 'id="relationship-non-executive-director"' in html
    assert "NEDs and the MD should work closely." not in html  # acronyms become links…
    assert "and the <a" in html  # …so the sentence is split by the glossary link
    assert "What good looks like" in html
    assert "Constructive challenge" in html
    assert "Acting as a &#x27;critical friend&#x27;" in html
    assert '<a href="/roles/sources/monitor-2014/#page-p16">Monitor 2014, p16</a>' in html
    assert 'id="relationship-colleague-0"' in html
    assert '<a href="/roles/colleague-0/">More about the Colleague 0' in html
    assert re.search(
        r'aria-current="page">\s*<span class="nhsuk-contents-list__current">Working with others',
        html,
    )


def test_md_relationships_page_reads_before_any_data_is_loaded(client, db):
    html = text_of(client.get(RELATIONSHIPS_URL))
    assert "No working relationships have been loaded yet." in html


def test_acronyms_link_to_the_glossary_where_they_appear(client, explainer):
    html = text_of(client.get(MD_URL))
    assert (
        '<a href="/roles/glossary/#term-ned"><abbr title="Non-executive director">NED</abbr></a>'
        in html
    )


def test_another_role_page_shows_its_relationship_and_lines_with_the_md(client, explainer):
    response = client.get("/roles/chief-executive/")
    html = text_of(response)
    assert (
        '<h1><span class="nhsuk-caption-l">Working with the Medical Director</span>'
        "Chief Executive</h1>"
    ) in html
    assert "About Chief Executive." in html
    assert (
        '<a class="nhsuk-breadcrumb__link" href="/roles/medical-director/">'
        "The Medical Director role</a>"
    ) in html
    table = html[html.index("<table") : html.index("</table>")]
    assert '<a href="/roles/medical-director/">Medical Director</a>' in table
    assert "nhsuk-contents-list" not in html

    relationship = Relationship.objects.create(
        role=explainer.md, other_role=explainer.ceo, summary="Daily contact with the chief."
    )
    cite(relationship, explainer.paper, "6.2.2")
    html = text_of(client.get("/roles/chief-executive/"))
    assert 'id="relationship-medical-director"' in html
    assert "Daily contact with the chief." in html


def test_a_role_without_lines_or_responsibilities_still_reads(client, explainer):
    make_role("lonely", "Lonely role")
    html = text_of(client.get("/roles/lonely/"))
    assert "The paper records no reporting lines for this role." in html
    assert "<svg xmlns" not in html


@pytest.mark.parametrize(
    "url", ["/roles/no-such-role/", "/roles/sources/no-such-source/", "/roles/a/b/c/"]
)
def test_unknown_roles_and_sources_are_a_styled_404(client, explainer, url):
    response = client.get(url)
    assert response.status_code == 404
    html = text_of(response)
    assert "<h1>Page not found</h1>" in html
    assert "nhsuk-header" in html
    assert "no-such" not in html


def test_a_hostile_address_is_not_reflected(client, explainer):
    response = client.get("/roles/%3Cscript%3Ealert(1)%3C%2Fscript%3E/")
    assert response.status_code == 404
    assert "<script>alert" not in text_of(response)


def test_every_finding_is_on_the_page_its_address_names(client, explainer):
    for finding in explainer.findings:
        url = finding_url(finding)
        page, anchor = url.split("#")
        assert f'id="{anchor}"' in text_of(client.get(page)), url


def test_evidence_overview_lists_the_parts_and_how_the_research_was_done(client, explainer):
    html = text_of(client.get(EVIDENCE_URL))
    assert "<title>What the research found about the Medical Director role" in html
    for part in PARTS:
        assert f'<a href="{part.get_absolute_url()}">{part.title}</a>' in html
        assert f'class="nhsuk-contents-list__link" href="{part.get_absolute_url()}"' in html
    assert 'id="theme-method"' in html
    assert "Finding method 0" in html
    assert "Finding background 0" not in html
    assert re.search(
        r'aria-current="page">\s*<span class="nhsuk-contents-list__current">What the research',
        html,
    )


def test_evidence_part_groups_its_findings_by_theme(client, explainer):
    html = text_of(client.get(PART_URL + "background/"))
    assert "<title>Background to the role – What the research found" in html
    assert 'id="finding-background-0"' in html
    assert 'id="theme-background"' in html
    assert "Finding recommendation 0" not in html
    assert "<q>a foot in both camps</q>" in html
    assert re.search(
        r'aria-current="page">\s*<span class="nhsuk-contents-list__current">Background to',
        html,
    )
    crumb = f'<a class="nhsuk-breadcrumb__link" href="{EVIDENCE_URL}">What the research found'
    assert crumb in html


def test_evidence_parts_follow_each_other_in_the_guide(client, explainer):
    html = text_of(client.get(PART_URL + "background/"))
    pagination = html[html.index('<nav class="nhsuk-pagination"') :]
    assert f'href="{EVIDENCE_URL}" rel="prev"' in pagination
    assert f'href="{PART_URL}effectiveness/" rel="next"' in pagination
    last = text_of(client.get(PART_URL + "recommendations/"))
    assert f'href="{NED_URL}" rel="next"' in last


def test_evidence_part_sets_benefits_against_drawbacks(client, explainer):
    html = text_of(client.get(PART_URL + "effectiveness/"))
    debate = html[html.index('id="theme-clinical-practice"') :]
    debate = debate[: debate.index("</section>")]
    assert debate.index("Benefits") < debate.index("Finding practice_benefit 0")
    assert debate.index("Drawbacks") < debate.index("Finding practice_drawback 0")
    # The debate comes first in this part, before the management approaches.
    assert html.index('id="theme-clinical-practice"') < html.index(
        'id="theme-management-approach"'
    )


def test_evidence_part_tabulates_management_approaches_with_percentages(client, explainer):
    html = text_of(client.get(PART_URL + "effectiveness/"))
    section = html[html.index('id="theme-management-approach"') :]
    table = section[section.index("<table") : section.index("</table>")]
    assert "Finding management_approach 0" in table
    assert "60% of respondents" in table
    assert 'scope="row"' in table


def test_evidence_pages_read_even_with_no_findings(client, db):
    assert client.get(EVIDENCE_URL).status_code == 200
    html = text_of(client.get(PART_URL + "barriers-and-challenges/"))
    assert "No findings have been loaded for this part yet." in html


def test_an_unknown_part_of_the_evidence_is_a_styled_404(client, explainer):
    response = client.get(PART_URL + "no-such-part/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in text_of(response)


def test_ned_page_shows_misreadings_good_relationship_and_questions(client, explainer):
    html = text_of(client.get(NED_URL))
    assert "Finding ned_misreading 0" in html
    assert "Finding background 0" not in html
    assert '<div class="nhsuk-inset-text">' in html
    assert "Constructive challenge" in html
    for question in BoardQuestion.objects.all():
        assert f'<details class="nhsuk-details" id="question-{question.pk}">' in html
    assert "Time split matters." in html
    assert '<a href="/roles/sources/monitor-2014/#page-p16">Monitor 2014, p16</a>' in html


def test_ned_page_reads_before_any_data_is_loaded(client, db):
    html = text_of(client.get(NED_URL))
    assert "No questions have been loaded yet." in html
    assert "has not been loaded yet" in html


def test_sources_page_lists_every_source_with_an_anchor_and_full_reference(client, explainer):
    html = text_of(client.get(SOURCES_URL))
    for source in Source.objects.all():
        assert f'id="source-{source.key}"' in html
        assert f'href="/roles/sources/{source.key}/"' in html
    assert (
        "NHS Confederation (2009). <cite>Title of nhs-confederation-2009</cite>. Publisher."
    ) in html
    assert html.index("The paper") < html.index("Works the paper cites")
    monitor_citations = explainer.monitor.citations.count()
    assert f"Cited {monitor_citations} times in this explainer." in html


def test_sources_page_shows_what_the_paper_draws_from_each_source(client, explainer):
    explainer.monitor.summary = "How NEDs see the role."
    explainer.monitor.save()
    html = text_of(client.get(SOURCES_URL))
    assert "<strong>What the paper draws from it:</strong> How " in html
    # The paper itself draws from nothing: its summary is about it.
    explainer.paper.summary = "The paper the portal is built on."
    explainer.paper.save()
    html = text_of(client.get(SOURCES_URL))
    assert "<strong>About the paper:</strong> The paper the portal is built on." in html


def test_source_page_lists_every_statement_citing_it(client, explainer):
    html = text_of(client.get("/roles/sources/monitor-2014/"))
    assert "<h1><span class=\"nhsuk-caption-l\">Source</span>Title of monitor-2014</h1>" in html
    for finding in explainer.findings:
        assert f'href="{finding_url(finding)}"' in html
    assert "Constructive challenge" in html
    assert f'href="{RELATIONSHIPS_URL}#relationship-non-executive-director"' in html
    # Grouped by the page cited, each group the target of the citation links that name it.
    p10 = section(html, "page-p10")
    assert '<h3 id="page-p10-heading">Monitor 2014, p10</h3>' in p10
    assert p10.count(", cited at GGI paper 6.2.1.") == len(explainer.findings)
    assert "Constructive challenge" in section(html, "page-p16")
    assert '<a href="/roles/sources/#source-monitor-2014">Back to all sources</a>' in html


def test_source_page_links_each_kind_of_statement_to_where_it_is_shown(client, explainer):
    html = text_of(client.get("/roles/sources/ggi-2017/"))
    responsibility = explainer.responsibilities[0]
    assert f'href="/roles/medical-director/#responsibility-{responsibility.slug}"' in html
    assert 'href="/roles/clinical-director-0/#reporting-lines"' in html
    question = BoardQuestion.objects.first()
    assert f'href="{NED_URL}#question-{question.pk}"' in html
    assert f'href="{GLOSSARY_URL}#term-ned"' in html
    assert 'href="/roles/medical-director/"' in html  # the role itself is cited


def test_source_page_says_so_when_nothing_cites_it(client, explainer):
    Source.objects.create(key="unused", authors="Nobody", title="Unused", year=1999)
    html = text_of(client.get("/roles/sources/unused/"))
    assert "Nothing in the explainer cites this source yet." in html


def test_glossary_lists_every_term_with_its_anchor(client, explainer):
    html = text_of(client.get(GLOSSARY_URL))
    for term in GlossaryTerm.objects.all():
        assert f'id="term-{term.abbreviation.lower()}"' in html
        assert term.term in html
    assert '<abbr title="Non-executive director">NED</abbr>' in html


def test_hostile_text_in_the_data_is_escaped_on_every_page(client, explainer):
    explainer.md.summary = HOSTILE
    explainer.md.save()
    Responsibility.objects.filter(pk=explainer.responsibilities[0].pk).update(title=HOSTILE)
    Finding.objects.filter(pk=explainer.findings[0].pk).update(text=HOSTILE, quote=HOSTILE)
    Finding.objects.filter(kind="ned_misreading").update(title=HOSTILE)
    GoodPractice.objects.filter(text="Constructive challenge").update(text=HOSTILE)
    BoardQuestion.objects.update(question=HOSTILE, why_it_matters=HOSTILE)
    ReportingLine.objects.update(description=HOSTILE)
    Source.objects.filter(pk=explainer.monitor.pk).update(authors=HOSTILE, summary=HOSTILE)
    GlossaryTerm.objects.create(abbreviation="EVIL", term=HOSTILE, definition=HOSTILE)
    Role.objects.filter(pk=explainer.ceo.pk).update(name=HOSTILE)
    for url in PAGE_URLS:
        html = text_of(client.get(url))
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text_of(client.get(MD_URL))


def test_source_page_lists_statements_in_the_order_the_explainer_reads(client, explainer):
    html = text_of(client.get("/roles/sources/ggi-2017/"))
    # One group per paragraph, in the paper's order, so "GGI paper 6.2.1" can link to its group.
    headings = re.findall(r'<h3 id="paragraph-[\d-]+-heading">Paragraph ([\d.]+)</h3>', html)
    assert headings == ["1", "3.1.1", "4.1.2", "6.1.1", "6.2.1", "6.2.3", "9.1.1"]
    # Within a paragraph, statements come in the order the explainer reads them.
    kinds = re.findall(
        r'<p class="nhsuk-body-s[^"]*">([^<]+?)(?:, cited at [^<]+)?\. <a',
        section(html, "paragraph-6-2-1"),
    )
    assert kinds[0] == "Relationship"
    assert kinds.index("Background: definition, importance and perception") < kinds.index(
        "Recommendations"
    )
    assert len(kinds) == 1 + len(explainer.findings)


def test_question_summaries_hold_no_links(client, explainer):
    # A link inside <summary> is a control inside a control (axe: nested-interactive).
    html = text_of(client.get(NED_URL))
    summaries = re.findall(r"<summary.*?</summary>", html, flags=re.S)
    assert summaries
    assert not any("<a " in summary for summary in summaries)


def test_medical_director_page_names_the_roles_it_works_with(client, explainer):
    html = text_of(client.get(MD_URL))
    assert f'<a href="{RELATIONSHIPS_URL}#relationship-non-executive-director">' in html
    assert f'<a href="{RELATIONSHIPS_URL}#relationship-colleague-0">Colleague 0</a>' in html
