"""Search in a real browser: from the header on any page, the results and empty states pass
axe, work without JavaScript, and reflow at 320 px; a members-only pack is found only by its
trust's members."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize(
    "address",
    [
        "/search/",
        "/search/?q=",
        "/search/?q=revalidation",
        "/search/?q=revalidation&earlier=yes",
        "/search/?q=xylophonic",
        "/search/?q=%22*%3A-(",
    ],
)
def test_search_pages_have_no_accessibility_violations(demo_site, page, address):
    page.goto(address)
    assert_accessible(page)


def test_searching_from_the_header_without_javascript(demo_site, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/roles/glossary/")
    page.get_by_role("search").first.get_by_role("searchbox").fill("revalidation")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()

    assert page.url.endswith("/search/?q=revalidation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.get_by_role("heading", name="National guide")).to_be_visible()
    expect(page.get_by_role("heading", name="Trust induction packs")).to_be_visible()
    first = page.locator(".app-search-result mark").first
    expect(first).to_have_text("revalidation", ignore_case=True)

    page.get_by_role(
        "link", name="Act as Responsible Officer for doctors' revalidation"
    ).first.click()
    expect(page.locator("#responsibility-responsible-officer")).to_be_visible()


def test_a_members_only_pack_is_found_only_by_its_members(demo_site, new_context, sign_in):
    anonymous = new_context().new_page()
    anonymous.goto("/search/?q=southmoor")
    expect(anonymous.locator("main")).not_to_contain_text("Southmoor Community Health")

    member = new_context().new_page()
    sign_in(member, "southmoor-hr")
    member.goto("/search/?q=southmoor")
    expect(member.get_by_role("heading", name="Your trust's pack")).to_be_visible()
    expect(member.locator("main")).to_contain_text("Southmoor Community Health NHS Trust")


@pytest.mark.parametrize(
    "address", ["/search/", "/search/?q=revalidation&earlier=yes", "/search/?q=xylophonic"]
)
def test_search_pages_reflow_at_320_pixels(demo_site, new_context, address):
    page = new_context(viewport=NARROW).new_page()
    page.goto(address)
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= NARROW["width"], f"{address} is {page_width}px wide at 320px"
    expect(page.locator(".nhsuk-header__search-input")).to_be_visible()
