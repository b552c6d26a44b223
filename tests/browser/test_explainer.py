"""The public Medical Director role explainer in a real browser: each page kind passes axe-core
(WCAG 2.2 A/AA) and does what a reader relies on (citations, diagram, glossary links)."""

import re

from playwright.sync_api import expect

from roles.models import Source
from tests.browser.axe import assert_accessible, axe_violations, describe_violations


def test_medical_director_page_is_accessible_with_diagram_and_cited_claims(roles_site, page):
    response = page.goto("/roles/medical-director/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Medical Director")
    # The reporting-lines diagram is inline SVG with an accessible name, plus a table equivalent.
    diagram = main.locator("svg[role='img']").first
    expect(diagram).to_be_visible()
    assert diagram.evaluate("(svg) => svg.querySelector('title')?.textContent?.trim()")
    expect(main.locator("table caption")).to_contain_text("Reporting lines")
    # A claim's citation leads to its source.
    main.locator(".app-citations a").first.click()
    expect(page).to_have_url(re.compile(r"/roles/sources/"))
    page.go_back()
    assert_accessible(page)


def test_glossary_link_in_the_explainer_lands_on_the_term(roles_site, page):
    page.goto("/roles/medical-director/")

    link = page.locator("#maincontent a[href*='/roles/glossary/#']").first
    expect(link).to_be_visible()
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()

    expect(page).to_have_url(re.compile(rf"/roles/glossary/#{re.escape(anchor)}$"))
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()


def test_another_role_page_is_accessible_and_leads_back_to_the_guide(roles_site, page):
    response = page.goto("/roles/chief-executive/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chief Executive")
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    breadcrumbs.get_by_role("link", name="The Medical Director role").click()
    expect(page).to_have_url(re.compile(r"/roles/medical-director/$"))
    page.go_back()
    assert_accessible(page)


def test_every_page_of_the_medical_director_guide_is_accessible(roles_site, page):
    """Follows the guide's own contents list, so pages added to the guide are checked too."""
    page.goto("/roles/medical-director/")
    guide = page.get_by_role("navigation", name="Pages in this guide")
    addresses = [link.get_attribute("href") for link in guide.get_by_role("link").all()]
    assert len(addresses) >= 3, "the guide should list its other pages"

    reports = []
    for address in addresses:
        response = page.goto(address)
        assert response.status == 200, address
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # The page marks itself as the current one in the guide's contents.
        current = page.get_by_role("navigation", name="Pages in this guide").locator(
            "[aria-current='page']"
        )
        expect(current).to_have_count(1)
        violations = axe_violations(page)
        if violations:
            reports.append(describe_violations(page.url, violations))
    assert not reports, "\n\n".join(reports)


def test_guide_for_non_executive_directors_is_accessible_and_has_questions(roles_site, page):
    response = page.goto("/roles/for-non-executive-directors/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_contain_text("non-executive")
    expect(main.get_by_role("heading", name=re.compile("question", re.I)).first).to_be_visible()
    assert_accessible(page)


def test_sources_list_is_accessible_and_opens_a_source(roles_site, page):
    response = page.goto("/roles/sources/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.locator("li[id^='source-']")).to_have_count(Source.objects.count())
    assert_accessible(page)

    main.locator("#source-ggi-2017 h3 a").click()
    expect(page).to_have_url(re.compile(r"/roles/sources/ggi-2017/$"))


def test_source_page_is_accessible_and_lists_what_cites_it(roles_site, page):
    response = page.goto("/roles/sources/nhs-confederation-2009/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    # At least one statement of the explainer cites it, and links back to where it is made.
    expect(main.locator("a[href^='/roles/']").first).to_be_visible()
    assert_accessible(page)


def test_glossary_is_accessible_and_names_the_acronyms(roles_site, page):
    response = page.goto("/roles/glossary/")

    assert response.status == 200
    main = page.locator("#maincontent")
    for acronym in ("NED", "GMC", "FMLM"):
        expect(main.locator("abbr", has_text=re.compile(rf"^{acronym}$")).first).to_be_visible()
    assert_accessible(page)


def test_unknown_role_and_source_get_the_styled_not_found_page(roles_site, page):
    for address in ("/roles/no-such-role/", "/roles/sources/no-such-source/"):
        response = page.goto(address)

        assert response.status == 404
        expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    assert_accessible(page)


def test_changes_since_2017_and_an_inline_note_read_without_javascript_at_320_pixels(
    roles_site, page, new_context
):
    """The list of later developments, and the Medical Director page whose statutory duties
    carry their dated notes inline: axe finds nothing, and with JavaScript off on a 320 px
    screen each still shows its notes and sources without scrolling sideways."""
    changes, role = "/roles/changes-since-2017/", "/roles/medical-director/"
    for address in (changes, role):
        assert page.goto(address).status == 200
        assert_accessible(page)

    narrow = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    reader = narrow.new_page()
    for address in (changes, role):
        assert reader.goto(address).status == 200
        width = reader.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{address} is {width}px wide on a 320px screen"

    reader.goto(changes)
    main = reader.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text(re.compile("changed since 2017"))
    ccg = main.locator("#change-icbs-replace-ccgs")
    expect(ccg.get_by_role("heading", level=2)).to_contain_text("Integrated care boards")
    expect(ccg).to_contain_text("1 July 2022")
    expect(ccg.get_by_role("link", name="Integrated care in your area")).to_have_attribute(
        "href", re.compile(r"^https://www\.england\.nhs\.uk/")
    )

    reader.goto(role)
    note = reader.locator("#maincontent .app-later-development").first
    expect(note).to_be_visible()
    expect(note).to_contain_text("Checked ")
    expect(note.locator("a[href^='https://']").first).to_be_visible()
    # The inline note leads to its entry on the list of changes, without any script.
    note.locator("a[href^='/roles/changes-since-2017/#change-']").click()
    expect(reader).to_have_url(re.compile(r"/roles/changes-since-2017/#change-"))
    anchor = reader.url.split("#", 1)[1]
    expect(reader.locator(f"[id='{anchor}']")).to_be_in_viewport()
