"""A pack's history and the comparison of two versions, in a real browser."""

import re

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible


def test_history_lists_the_versions_and_is_accessible(demo_site, page):
    response = page.goto("/trusts/northshire/induction/history/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.get_by_role("link", name="Version 2", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="Version 1", exact=True)).to_be_visible()
    assert_accessible(page)

    main.get_by_role("link", name="Version 1", exact=True).click()
    expect(page).to_have_url(re.compile(r"/trusts/northshire/induction/v1/$"))


def test_comparing_two_versions_marks_the_changed_text(demo_site, page):
    page.goto("/trusts/northshire/induction/history/")
    main = page.locator("#maincontent")

    main.locator("select[name='from']").select_option("1")
    main.locator("select[name='to']").select_option("2")
    main.get_by_role("button", name="Compare").click()

    expect(page).to_have_url(re.compile(r"/trusts/northshire/induction/compare/\?"))
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text("Compare version 1 with version 2")
    expect(main.locator(".app-diff ins, .app-diff del").first).to_be_visible()
    assert_accessible(page)


def test_comparing_a_version_with_itself_shows_an_accessible_error(demo_site, page):
    page.goto("/trusts/northshire/induction/compare/?from=2&to=2")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Choose two different versions")
    assert_accessible(page)


COMPARE = "/trusts/northshire/induction/compare/?from=1&to=2"
NARROW = {"width": 320, "height": 640}


def _markdown_shown(page) -> list[str]:
    """Lines of the changed sections' visible text that look like Markdown source."""
    text = page.locator(".app-diff .app-diff__text").all_inner_texts()
    return [
        line
        for block in text
        for line in block.splitlines()
        if line.lstrip().startswith(("#", "|", "[^", "- ")) or "**" in line
    ]


def test_readers_see_the_changes_formatted_and_marked_accessibly(demo_site, page):
    page.goto(COMPARE)
    main = page.locator("#maincontent")

    changed = main.locator(".app-diff").first
    expect(changed.locator("ins").first).to_be_visible()
    expect(changed.locator("del").first).to_be_visible()
    assert _markdown_shown(page) == []
    # Headings, lists and tables of the text are shown as such.
    assert main.locator(".app-diff__text li").count() > 0
    # Not by colour alone: struck through, underlined, and announced in words.
    styles = page.evaluate(
        """() => ['ins', 'del'].map((tag) => {
          const element = document.querySelector(`.app-diff ${tag}`);
          return [getComputedStyle(element).textDecorationLine,
                  getComputedStyle(element, '::before').content];
        })"""
    )
    assert styles == [["underline", '" [added: "'], ["line-through", '" [removed: "']]
    # A removed word and the word that replaced it are never run together.
    jammed = page.evaluate(
        """() => [...document.querySelectorAll('.app-diff del + ins')].filter(
          (ins) => ins.previousSibling.nodeType === Node.ELEMENT_NODE).length"""
    )
    assert jammed == 0
    expect(main.get_by_text("Show the Markdown source changes")).to_have_count(0)
    assert_accessible(page)


def test_editors_can_open_the_markdown_source_changes(demo_site, page, sign_in):
    sign_in(page, "northshire-hr")
    page.goto(COMPARE)
    main = page.locator("#maincontent")

    summary = main.locator("summary", has_text="Show the Markdown source changes").first
    expect(summary).to_be_visible()
    source = main.locator("details:has(summary:has-text('Markdown source')) pre").first
    expect(source).to_be_hidden()
    summary.click()
    expect(source).to_be_visible()
    expect(source.locator("ins, del").first).to_be_visible()
    assert_accessible(page)


def test_compare_works_without_javascript_and_reflows_at_320_pixels(
    demo_site, new_context, sign_in
):
    page = new_context(java_script_enabled=False, viewport=NARROW).new_page()
    sign_in(page, "northshire-hr")

    response = page.goto(COMPARE)

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.locator(".app-diff ins").first).to_be_visible()
    folded = main.locator("details.app-diff__unchanged").first
    folded.locator("summary").click()
    expect(folded.locator(".nhsuk-details__text")).to_be_visible()
    main.locator("summary", has_text="Show the Markdown source changes").first.click()
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= NARROW["width"], f"the compare page is {page_width}px wide"
