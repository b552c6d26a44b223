"""Platform staff acting as an editor of a trust, in a real browser: the refusal page offering
the step, its error state, the editor with the acting warning, and stopping. Each page passes
axe-core, and the whole step works without JavaScript."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from induction.baseline import create_pack_from_baseline
from induction.models import AuditEvent, StaffAccess, Trust
from tests.browser.axe import assert_accessible

EDITOR = "/trusts/staffshire/induction/edit/"
TRUST_NAME = "Staffshire Test NHS Trust"
REASON = "The trust asked us to correct the Chief Executive's name while their editor is away."


@pytest.fixture(scope="module")
def trust(roles_site):
    trust = Trust.objects.create(name=TRUST_NAME, slug="staffshire", ods_code="RS1", kind="acute")
    create_pack_from_baseline(trust=trust)
    return trust


def staff_member(username):
    return get_user_model().objects.create_user(
        username, is_staff=True, first_name="Sam", last_name="Support"
    )


def test_staff_are_offered_the_step_and_see_that_they_are_acting(trust, page, sign_in):
    staff = staff_member("support-sam")
    sign_in(page, "support-sam")
    main = page.locator("#maincontent")

    # The editor refuses them, with the audited step on offer.
    response = page.goto(EDITOR)
    assert response.status == 403
    expect(main.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(main.get_by_role("heading", level=2)).to_have_text(f"Act as an editor of {TRUST_NAME}")
    expect(main.locator(".nhsuk-warning-callout")).to_contain_text(
        "The trust's editors will see this"
    )
    assert_accessible(page)

    # No reason: the error summary says what to do, and nothing starts.
    main.get_by_role("button", name="Act as an editor").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter why you need to change this trust's pack")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Act as an editor"))
    assert_accessible(page)
    assert not StaffAccess.objects.filter(user=staff).exists()

    # With a reason they land on the editor, told they are acting, until when.
    main.get_by_label("Why do you need to change this trust's pack?").fill(REASON)
    main.get_by_role("button", name="Act as an editor").click()
    expect(page).to_have_url(re.compile(re.escape(EDITOR) + "$"))
    callout = main.locator(".nhsuk-warning-callout")
    expect(callout).to_contain_text(
        re.compile(rf"You are acting as an editor of {TRUST_NAME} until \d\d:\d\d")
    )
    expect(callout).to_contain_text("the trust's editors can see this")
    assert_accessible(page)
    event = AuditEvent.objects.get(actor=staff, action=AuditEvent.Action.STAFF_ACCESS_STARTED)
    assert REASON in event.detail

    # Stopping ends it: back on the reading page, and the editor refuses them again.
    callout.get_by_role("button", name="Stop acting as an editor").click()
    expect(page).to_have_url(re.compile(r"/trusts/staffshire/induction/$"))
    expect(main).to_contain_text(f"You have stopped acting as an editor of {TRUST_NAME}.")
    assert page.goto(EDITOR).status == 403


def test_the_step_works_without_javascript(trust, new_context, sign_in):
    staff = staff_member("support-noscript")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "support-noscript")
    main = page.locator("#maincontent")

    assert page.goto(EDITOR).status == 403
    main.get_by_role("button", name="Act as an editor").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter why you need to change this trust's pack"
    )
    main.get_by_label("Why do you need to change this trust's pack?").fill(REASON)
    main.get_by_role("button", name="Act as an editor").click()
    expect(page).to_have_url(re.compile(re.escape(EDITOR) + "$"))
    expect(main.locator(".nhsuk-warning-callout")).to_contain_text("You are acting as an editor")
    assert StaffAccess.objects.active().filter(user=staff).exists()

    main.get_by_role("button", name="Stop acting as an editor").click()
    expect(page).to_have_url(re.compile(r"/trusts/staffshire/induction/$"))
    assert not StaffAccess.objects.active().filter(user=staff).exists()
