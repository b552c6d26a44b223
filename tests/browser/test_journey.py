"""The inductee's journey in a real browser, over the demo: ticking a checklist step (with
JavaScript off), saying "I have read this version" and being asked again after a new
publication, and the editors' dashboard. Each page kind is checked with axe and at 320 px.

The module's tests share the demo data: each checks only what it changes itself.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

NARROW = {"width": 320, "height": 640}
MY_INDUCTION = "/trusts/northshire/induction/my-induction/"
PACK = "/trusts/northshire/induction/"
DASHBOARD = "/trusts/northshire/induction/dashboard/"
SEPSIS = "Read the sepsis improvement plan agreed with the CQC"


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width}px wide at {NARROW['width']}px"


def member_id(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


def test_the_inductee_ticks_the_overdue_step_with_javascript_off(demo_site, new_context, sign_in):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "northshire-md")
    page.goto(MY_INDUCTION)
    step = page.locator(".app-journey-step", has_text=SEPSIS)
    expect(step.locator(".nhsuk-tag")).to_have_text("Overdue")
    before = page.locator("dd", has_text=" done").inner_text()

    # The button's name carries the step, for screen reader users moving from button to button.
    step.get_by_role("button", name=re.compile(rf"^Mark as done\W+{SEPSIS}$")).click()

    expect(page.locator("#maincontent [role=status]")).to_contain_text(f"Marked as done: {SEPSIS}")
    step = page.locator(".app-journey-step", has_text=SEPSIS)
    expect(step.locator(".nhsuk-tag")).to_have_text("Done")
    done, total = map(int, re.findall(r"\d+", before)[:2])
    expect(page.locator("dd", has_text=" done")).to_have_text(f"{done + 1} of {total} done")

    step.get_by_role("button", name=re.compile(rf"^Mark as not done\W+{SEPSIS}$")).click()
    step = page.locator(".app-journey-step", has_text=SEPSIS)
    expect(step.locator(".nhsuk-tag")).to_have_text("Overdue")


def test_the_checklist_page_is_accessible_and_reflows(demo_site, page, new_context, sign_in):
    sign_in(page, "northshire-md")
    page.goto(MY_INDUCTION)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your induction checklist")
    expect(page.get_by_role("heading", name="At six months (review)")).to_be_visible()
    assert_accessible(page)

    narrow = new_context(viewport=NARROW).new_page()
    sign_in(narrow, "northshire-md")
    narrow.goto(MY_INDUCTION)
    no_sideways_scroll(narrow)


def test_acknowledging_a_version_then_being_asked_again_after_a_new_one(demo_site, page, sign_in):
    from django.contrib.auth import get_user_model

    from induction.models import InductionPack
    from tests.induction.conftest import edit_draft

    sign_in(page, "northshire-md")
    page.goto(PACK)
    status = page.locator("#pack-status")
    # The demo: version 1 read, version 2 not.
    expect(status).to_contain_text("This pack has changed since you read it")
    expect(
        status.get_by_role("link", name="See what changed between version 1 and version 2")
    ).to_have_attribute("href", "/trusts/northshire/induction/compare/?from=1&to=2")
    assert_accessible(page)

    status.get_by_role("button", name="I have read version 2").click()
    expect(page).to_have_url(re.compile(r"/induction/v2/#pack-status$"))
    expect(page.locator("#pack-status")).to_contain_text("You said you have read version 2")
    expect(page.get_by_role("button", name=re.compile("I have read version"))).to_have_count(0)

    pack = InductionPack.objects.get(trust__slug="northshire")
    hr = get_user_model().objects.get(username="northshire-hr")
    edit_draft(pack, hr, text="A new paragraph for version 3.")
    pack.publish(user=hr, change_summary="A new paragraph.")

    page.goto(PACK)
    status = page.locator("#pack-status")
    expect(status).to_contain_text("You said you read version 2")
    expect(
        status.get_by_role("link", name="See what changed between version 2 and version 3")
    ).to_have_attribute("href", "/trusts/northshire/induction/compare/?from=2&to=3")
    expect(status.get_by_role("button", name="I have read version 3")).to_be_visible()
    assert_accessible(page)


def test_acknowledging_works_without_javascript_and_on_a_narrow_screen(
    demo_site, new_context, sign_in
):
    page = new_context(java_script_enabled=False, viewport=NARROW).new_page()
    sign_in(page, "northshire-hr")  # has read no version
    page.goto(PACK)
    no_sideways_scroll(page)
    button = page.locator("#pack-status").get_by_role("button", name=re.compile("I have read"))
    button.click()
    expect(page.locator("#pack-status")).to_contain_text("You said you have read version")
    no_sideways_scroll(page)


def test_the_dashboard_shows_each_member_and_is_accessible(demo_site, page, sign_in):
    sign_in(page, "northshire-hr")
    page.goto(DASHBOARD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Induction dashboard")
    table = page.locator("table.app-dashboard")
    md_row = table.locator("tr", has_text="Anil Kapoor")
    expect(md_row).to_contain_text("Medical Director")
    expect(md_row).to_contain_text(re.compile(r"\d+ of \d+ done"))
    expect(table.locator("tr", has_text="Jonathan Reeve")).to_contain_text("Version 2")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as a spreadsheet (CSV)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("Name,Username,Roles,Board role,Start date")
    assert "northshire-md" in text


def test_the_dashboard_reflows_and_works_without_javascript(demo_site, new_context, sign_in):
    page = new_context(java_script_enabled=False, viewport=NARROW).new_page()
    sign_in(page, "northshire-hr")
    page.goto(DASHBOARD)
    expect(page.locator("table.app-dashboard")).to_contain_text("Anil Kapoor")
    no_sideways_scroll(page)


@pytest.mark.parametrize("username", ["northshire-ned", "southmoor-hr"])
def test_nobody_else_sees_the_inductee_s_checklist(demo_site, page, sign_in, username):
    sign_in(page, username)
    response = page.goto(MY_INDUCTION)
    # A reader of the trust is refused and told why; another trust's editor finds nothing.
    assert response.status == (403 if username == "northshire-ned" else 404)
    assert_accessible(page)


def test_an_editor_sets_a_start_date_from_the_dashboard(demo_site, page, new_context, sign_in):
    # Last in the module: it moves the inductee's start date.
    sign_in(page, "northshire-hr")
    page.goto(f"{DASHBOARD}members/{member_id('northshire-md')}/")
    assert_accessible(page)
    page.get_by_label("Medical Director").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/induction/dashboard/$"))
    expect(page.locator("tr", has_text="Anil Kapoor")).to_contain_text("3 Feb 2027")

    narrow = new_context(viewport=NARROW, java_script_enabled=False).new_page()
    sign_in(narrow, "northshire-hr")
    narrow.goto(f"{DASHBOARD}members/{member_id('northshire-md')}/")
    no_sideways_scroll(narrow)
