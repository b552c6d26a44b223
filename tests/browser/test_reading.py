"""Reading published induction packs in a real browser: the trust list, the newest and an older
version of a public pack page by page and whole on one page, with and without JavaScript, on a
phone and at 320 px, and a members-only pack for anonymous visitors and for members."""

import re

import pytest
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


@pytest.mark.parametrize("width, javascript", [(375, True), (1280, True), (375, False)])
def test_filtering_trusts_by_name_region_and_kind_is_accessible_at_any_width_and_without_javascript(
    demo_site, new_context, width, javascript
):
    page = new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 800}, bypass_csp=True
    ).new_page()

    def check_page():
        if javascript:  # axe-core runs in the page
            assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto("/trusts/")
    main = page.locator("#maincontent")
    filter_form = main.get_by_role("search", name="Find a trust")
    expect(filter_form.get_by_role("link", name="Clear filters")).to_have_count(0)
    check_page()
    filter_form.get_by_label("Trust name").fill("northshire")
    filter_form.get_by_label("Region").select_option(label="North East and Yorkshire")
    filter_form.get_by_label("Kind of trust").select_option(label="Acute")
    filter_form.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(
        re.compile(r"/trusts/\?q=northshire&region=north_east_and_yorkshire&kind=acute$")
    )
    expect(main.get_by_role("heading", level=2, name="1 trust matches")).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("Northshire"))).to_be_visible()
    expect(filter_form.get_by_label("Region")).to_have_value("north_east_and_yorkshire")
    check_page()

    filter_form.get_by_label("Kind of trust").select_option(label="Ambulance")
    filter_form.get_by_role("button", name="Filter").click()
    expect(main.get_by_role("heading", level=2, name="No trusts match")).to_be_visible()
    check_page()
    filter_form.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/trusts/$"))
    expect(filter_form.get_by_label("Trust name")).to_have_value("")

    page.goto("/trusts/?region=narnia")
    expect(main.get_by_role("heading", name="There is a problem")).to_be_visible()
    main.get_by_role("link", name="Choose a region from the list, or Any region").click()
    expect(main.get_by_role("link", name=re.compile("Northshire"))).to_be_visible()
    check_page()


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


def test_the_whole_pack_page_has_contents_that_jump_to_each_section(demo_site, page):
    response = page.goto("/trusts/northshire/induction/whole-pack/")

    assert response.status == 200
    main = page.locator("#maincontent")
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


@pytest.fixture
def southmoor_reader(demo_site):
    """A reader of Southmoor's members-only pack (the demo has only its editors): someone who
    signs in with a password and is not asked for a second factor."""
    from django.contrib.auth import get_user_model

    from induction.models import Membership, Trust

    user = get_user_model().objects.create_user("southmoor-ned", password=DEMO_PASSWORD)
    Membership.objects.create(
        user=user, trust=Trust.objects.get(slug="southmoor"), role=Membership.Role.READER
    )
    return user


def test_members_only_pack_tells_an_anonymous_reader_how_to_get_in_then_shows_it(
    demo_site, page, southmoor_reader
):
    response = page.goto("/trusts/southmoor/induction/section-3/")

    assert response.status == 403
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "This induction pack is for the trust's members"
    )
    expect(main).to_contain_text("Ask the trust's company secretary")
    assert_accessible(page)
    main.get_by_role("link", name="Sign in to read the pack").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/trusts/southmoor/induction/"))
    main.locator("input[name='username']").fill(southmoor_reader.username)
    main.locator("input[name='password']").fill(DEMO_PASSWORD)
    main.get_by_role("button", name=re.compile("sign in", re.I)).click()

    expect(page).to_have_url(re.compile(r"/trusts/southmoor/induction/section-3/$"))
    expect(page.locator("#maincontent")).to_contain_text("Southmoor")
    assert_accessible(page)


def test_members_only_pack_is_not_found_for_a_member_of_another_trust(demo_site, page, sign_in):
    sign_in(page, "northshire-md")

    response = page.goto("/trusts/southmoor/induction/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()


PAGE_KINDS = [
    "/trusts/northshire/induction/",  # first page: the version's facts and the first section
    "/trusts/northshire/induction/section-3/",  # responsibilities
    "/trusts/northshire/induction/section-4/",  # people and the reporting diagram
    "/trusts/northshire/induction/section-7/",  # the first 100 days
    "/trusts/northshire/induction/v1/section-10/",  # an older version's glossary
    "/trusts/northshire/induction/whole-pack/",
]


def test_paged_reading_goes_through_every_section_by_its_next_links(demo_site, page):
    page.goto("/trusts/northshire/induction/")
    main = page.locator("#maincontent")
    sections = main.locator(".nhsuk-contents-list__item")
    count = sections.count()
    assert count >= 5
    seen = []
    for position in range(1, count + 1):
        current = main.locator(".nhsuk-contents-list__item[aria-current='page']")
        expect(current).to_have_count(1)
        title = current.inner_text().strip()
        expect(main.locator(".app-pack-section__title")).to_have_text(title)
        expect(main.locator(".app-pack-section")).to_have_count(1)
        seen.append(title)
        next_link = main.locator("a[rel='next']")
        if position == count:
            expect(next_link).to_have_count(0)
            break
        next_link.click()
        expect(page).to_have_url(re.compile(rf"/induction/section-{position + 1}/$"))
    assert len(seen) == len(set(seen)) == count

    main.locator("a[rel='prev']").click()
    expect(page).to_have_url(re.compile(rf"/induction/section-{count - 1}/$"))


@pytest.mark.parametrize("address", PAGE_KINDS)
def test_each_kind_of_reading_page_is_accessible(demo_site, page, address):
    assert page.goto(address).status == 200
    assert_accessible(page)


def test_reading_page_by_page_works_without_javascript(demo_site, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/trusts/northshire/induction/")
    main = page.locator("#maincontent")

    main.locator("a[rel='next']").click()
    expect(page).to_have_url(re.compile(r"/induction/section-2/$"))
    main.locator(".nhsuk-contents-list a", has_text="Your first 100 days").click()
    expect(page).to_have_url(re.compile(r"/induction/section-7/$"))
    expect(main.locator(".app-pack-section__title")).to_have_text("Your first 100 days")
    main.get_by_role("link", name=re.compile("Whole pack on one page")).click()
    expect(page).to_have_url(re.compile(r"/induction/whole-pack/$"))
    expect(main.locator(".app-pack-section")).to_have_count(
        main.locator(".nhsuk-contents-list__item").count()
    )


@pytest.mark.parametrize("address", PAGE_KINDS)
def test_reading_pages_reflow_at_320_pixels(demo_site, new_context, address):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(address)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{address} scrolls sideways by {overflow}px at 320 px"


# What would be wrong with the text of the pack on this screen, as sentences: the page wider
# than the screen; a table cell narrower than one of its words; a word drawn outside an element
# that clips what sticks out of it (a table's scrolling container, a card); a word broken
# across lines. Text hidden on purpose for screen readers is left out.
TEXT_PROBLEMS = """() => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > viewport) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide on ${viewport}px`);
  }
  const visuallyHidden = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.clipPath !== 'none' || (style.clip && style.clip !== 'auto')) return true;
    }
    return false;
  };
  const WORD = /[^\\s\\-\\u2010-\\u2014\\/]+/g;
  const body = document.querySelector('#maincontent .app-pack-body');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const parent = text.parentElement;
    if (!parent.getClientRects().length || visuallyHidden(parent) || parent.closest('svg')) {
      continue;
    }
    const cell = parent.closest('th, td');
    const clippers = [];
    for (let node = parent; node && node !== document.body; node = node.parentElement) {
      // A container that scrolls sideways (NHS.UK's nhsuk-table-container for a wide table
      // of the trust's) shows the rest of its content when scrolled: it hides nothing.
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === 'hidden' || overflow === 'clip') clippers.push(node);
    }
    for (const match of text.data.matchAll(WORD)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const pieces = [...range.getClientRects()].filter((rect) => rect.width > 0);
      if (!pieces.length) continue;
      const rect = range.getBoundingClientRect();
      let problem = null;
      if (pieces.length > 1 && match[0].length < 25) {
        problem = 'is broken across lines';
      } else if (cell) {
        const box = cell.getBoundingClientRect();
        if (rect.left < box.left - 1 || rect.right > box.right + 1) {
          problem = 'is wider than its table cell';
        }
      }
      if (!problem) {
        const clipper = clippers.find((node) => {
          const edge = node.getBoundingClientRect();
          return rect.left < edge.left - 1 || rect.right > edge.right + 1;
        });
        if (clipper) problem = `is cut off by ${clipper.tagName}.${clipper.className}`;
      }
      if (problem) {
        problems.push(`"${match[0]}" in "${parent.textContent.trim().slice(0, 40)}" ${problem}`);
        break;
      }
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_every_word_of_the_pack_shows_whole_on_a_phone_and_a_desktop(demo_site, new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto("/trusts/northshire/induction/whole-pack/")
    assert page.evaluate(TEXT_PROBLEMS) == []


def test_the_text_check_would_catch_a_table_squeezed_on_a_phone(demo_site, new_context):
    """The check above fails on the squeeze issue 9 describes: a table whose columns are
    narrower than their words, clipped by its container."""
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto("/trusts/northshire/induction/section-5/")
    page.evaluate("""() => {
      const section = document.querySelector('.app-pack-section');
      const box = document.createElement('div');
      box.innerHTML = '<table><tr><td>Medical Director</td><td>Chief Executive</td>'
        + '<td>Accountable</td><td>x</td><td>y</td><td>z</td><td>w</td></tr></table>';
      // Styles set through the DOM: the Content-Security-Policy refuses inline style attributes.
      box.style.overflow = 'hidden';
      const table = box.querySelector('table');
      table.style.tableLayout = 'fixed';
      table.style.width = '100%';
      section.append(box);
    }""")
    problems = page.evaluate(TEXT_PROBLEMS)
    # Each squeezed cell is reported: its word broken, wider than the cell, or cut off.
    squeezed = ("Medical", "Chief", "Accountable")
    assert all(any(f'"{word}"' in problem for problem in problems) for word in squeezed), problems


def test_the_contents_stay_in_view_beside_the_text_on_a_wide_screen(demo_site, new_context):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/trusts/northshire/induction/section-3/")
    contents = page.locator("#maincontent .app-pack-contents")
    text = page.locator("#maincontent .app-pack-layout__main")
    contents_box, text_box = contents.bounding_box(), text.bounding_box()
    assert contents_box["x"] + contents_box["width"] <= text_box["x"], "contents beside the text"
    page.mouse.wheel(0, 5000)
    expect(page.locator("#maincontent .app-pack-section__title")).not_to_be_in_viewport()
    expect(contents).to_be_in_viewport()
