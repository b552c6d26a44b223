"""Approval as a conversation in a real browser, with the demo's Southmoor governance team:
southmoor-hr asks, southmoor-cs returns the draft with comments, southmoor-hr changes it and
asks again (with JavaScript off), southmoor-cs publishes, and the audit trail shows it all.
Every new or changed page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

EDITOR = "/trusts/southmoor/induction/edit/"
PUBLISH = "/trusts/southmoor/induction/publish/"
AUDIT = "/trusts/southmoor/induction/audit/"
MARKDOWN = "Free text (Markdown)"


@pytest.fixture
def hr(demo_site, page, sign_in):
    sign_in(page, "southmoor-hr")
    return page


@pytest.fixture
def cs(demo_site, new_context, sign_in):
    page = new_context(bypass_csp=True).new_page()
    sign_in(page, "southmoor-cs")
    return page


def edit_a_markdown_section(page, text):
    """From the editor's overview, add `text` to the first free-text section and save."""
    page.goto(EDITOR)
    row = page.locator("table.app-section-list tbody tr").filter(
        has=page.get_by_role("cell", name=MARKDOWN, exact=True)
    )
    row.first.get_by_role("rowheader").get_by_role("link").click()
    body = page.locator("#maincontent textarea[name='body']")
    body.fill(body.input_value() + f"\n\n{text}")
    page.locator("#maincontent").get_by_role("button", name="Save the section").click()
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")


def approval_panel(page):
    return page.locator("#approval")


def test_asking_returning_resubmitting_and_publishing(hr, cs, new_context, sign_in):
    # southmoor-hr edits a section and asks for approval.
    edit_a_markdown_section(hr, "The Freedom to Speak Up Guardian reports to the board.")
    hr.goto(EDITOR)
    panel = approval_panel(hr)
    expect(panel).to_contain_text("An approver who has not edited the draft must publish it")
    assert_accessible(hr)
    panel.get_by_role("link", name="Ask for approval").click()
    expect(hr.get_by_role("heading", level=1)).to_have_text("Ask for approval")
    expect(hr.locator("#maincontent")).to_contain_text("Grace Adeyemi")
    assert_accessible(hr)
    hr.locator("textarea[name='message']").fill("I added a line on the Guardian. Please check.")
    hr.get_by_role("button", name="Ask for approval").click()
    expect(hr).to_have_url(re.compile(r"/induction/edit/$"))
    expect(approval_panel(hr)).to_contain_text("Waiting for approval")
    expect(approval_panel(hr)).to_contain_text("I added a line on the Guardian. Please check.")
    assert_accessible(hr)

    # southmoor-cs sees it on the home page and opens the publish page.
    cs.goto("/")
    waiting = cs.locator("#waiting-for-approval")
    expect(waiting).to_contain_text("Waiting for your approval")
    expect(waiting).to_contain_text("Paul Dennison asked on")
    assert_accessible(cs)
    waiting.get_by_role("link").first.click()
    expect(cs).to_have_url(re.compile(r"/induction/publish/$"))
    main = cs.locator("#maincontent")
    expect(main.locator("#approval")).to_contain_text("I added a line on the Guardian.")
    expect(main.get_by_role("button", name="Publish this version")).to_be_visible()
    assert_accessible(cs)

    # Returning without comments is an accessible error; with comments it is sent back.
    main.get_by_role("button", name="Return with comments").click()
    summary = cs.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your comments")
    expect(cs).to_have_title(re.compile(r"^Error: "))
    assert_accessible(cs)
    cs.locator("textarea[name='comments']").fill("Please say who the Guardian is by name.")
    cs.locator("#maincontent").get_by_role("button", name="Return with comments").click()
    expect(cs.locator("#maincontent")).to_contain_text("Returned the draft with your comments")

    # southmoor-hr sees the comments, edits, and asks again, this time without JavaScript.
    plain = new_context(java_script_enabled=False).new_page()
    sign_in(plain, "southmoor-hr")
    plain.goto(EDITOR)
    panel = approval_panel(plain)
    expect(panel).to_contain_text("Returned with comments")
    expect(panel).to_contain_text("Grace Adeyemi returned the draft")
    expect(panel).to_contain_text("Please say who the Guardian is by name.")
    edit_a_markdown_section(plain, "Our Guardian is Jo Lewis.")
    plain.goto(EDITOR)
    approval_panel(plain).get_by_role("link", name="Ask for approval again").click()
    plain.locator("textarea[name='message']").fill("Named the Guardian.")
    plain.get_by_role("button", name="Ask for approval").click()
    panel = approval_panel(plain)
    expect(panel).to_contain_text("Waiting for approval")
    expect(panel).to_contain_text("Named the Guardian.")
    expect(panel).not_to_contain_text("Please say who the Guardian is by name.")

    # southmoor-cs publishes it.
    cs.goto(PUBLISH)
    main = cs.locator("#maincontent")
    expect(main.locator("#approval")).to_contain_text("Named the Guardian.")
    main.locator("textarea[name='change_summary']").fill("Freedom to Speak Up Guardian named.")
    main.get_by_role("button", name="Publish this version").click()
    expect(cs).to_have_url(re.compile(r"/induction/v2/$"))

    # The audit trail shows the conversation.
    hr.goto(AUDIT)
    trail = hr.locator("#maincontent table")
    for words in (
        "Asked for approval",
        "I added a line on the Guardian. Please check.",
        "Returned the draft with comments",
        "Please say who the Guardian is by name.",
        "Named the Guardian.",
        "Approved and published the draft asked for",
    ):
        expect(trail).to_contain_text(words)
    assert_accessible(hr)
    hr.goto(EDITOR)
    expect(approval_panel(hr)).to_contain_text("nothing to approve")


def test_withdrawing_a_request_is_accessible_and_asks_to_confirm(hr):
    edit_a_markdown_section(hr, "A change to withdraw.")
    hr.goto(EDITOR)
    approval_panel(hr).get_by_role("link", name="Ask for approval").click()
    hr.get_by_role("button", name="Ask for approval").click()
    approval_panel(hr).get_by_role("link", name="Withdraw the request").click()
    expect(hr.get_by_role("heading", level=1)).to_have_text("Withdraw the request for approval?")
    assert_accessible(hr)
    hr.get_by_role("button", name="Withdraw the request").click()
    expect(hr.locator("#maincontent")).to_contain_text("Withdrew the request for approval.")
    expect(approval_panel(hr)).to_contain_text("Ask for approval")
