"""Reading published induction packs in a real browser: the trust list, the newest and an older
version of a public pack, and a members-only pack for anonymous visitors and for members."""

import re

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import DEMO_PASSWORD


def test_trust_list_is_accessible_and_leads_to_a_pack(demo_site, page):
    response = page.goto("/trusts/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    main.get_by_role("link", name=re.compile("Northshire")).first.click()
    expect(page).to_have_url(re.compile(r"/trusts/northshire/induction/$"))


def test_newest_version_of_a_public_pack_reads_with_working_contents(demo_site, page):
    response = page.goto("/trusts/northshire/induction/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main).to_contain_text("Northshire")
    expect(main).to_contain_text("Version 2")
    pdf_link = main.locator("a[href$='.pdf']").first
    expect(pdf_link).to_be_visible()
    download = page.request.get(pdf_link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF-")
    assert_accessible(page)

    contents_links = main.locator(".nhsuk-contents-list a")
    count = contents_links.count()
    assert count >= 5, "the pack should have a contents list of its sections"
    for index in (1, count - 1):  # one near the top, and the last, which needs a long scroll
        link = contents_links.nth(index)
        anchor = link.get_attribute("href").removeprefix("#")
        link.click()
        expect(page).to_have_url(re.compile(rf"#{re.escape(anchor)}$"))
        target = page.locator(f"[id='{anchor}']")
        expect(target).to_be_in_viewport()
        expect(target.get_by_role("heading").first).to_have_text(link.inner_text().strip())


def test_older_version_stays_readable_and_points_to_the_newest(demo_site, page):
    response = page.goto("/trusts/northshire/induction/v1/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main).to_contain_text("Version 1")
    expect(main.locator("a[href$='/v1.pdf']").first).to_be_visible()
    assert_accessible(page)

    main.get_by_role("link", name=re.compile("newest version", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/trusts/northshire/induction/$"))
    expect(page.locator("#maincontent")).to_contain_text("Version 2")


def test_members_only_pack_sends_an_anonymous_reader_to_sign_in_then_shows_it(demo_site, page):
    page.goto("/trusts/southmoor/induction/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/trusts/southmoor/induction/"))
    main = page.locator("#maincontent")
    main.locator("input[name='username']").fill("southmoor-hr")
    main.locator("input[name='password']").fill(DEMO_PASSWORD)
    main.get_by_role("button", name=re.compile("sign in", re.I)).click()

    expect(page).to_have_url(re.compile(r"/trusts/southmoor/induction/$"))
    expect(page.locator("#maincontent")).to_contain_text("Southmoor")
    assert_accessible(page)


def test_members_only_pack_is_not_found_for_a_member_of_another_trust(demo_site, page, sign_in):
    sign_in(page, "northshire-md")

    response = page.goto("/trusts/southmoor/induction/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
