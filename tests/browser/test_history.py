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
