"""Signing in through the NHS-styled form in a real browser, including the error state and
the message after an idle session was signed out."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore
from playwright.sync_api import expect

from mdportal.session_limits import LAST_ACTIVE_AT
from tests.browser.axe import assert_accessible
from tests.second_factor import add_authenticator_app, enter_app_code

PASSWORD = "a-long-test-password-2026"


@pytest.fixture(scope="module")
def account(site):
    return get_user_model().objects.create_user(
        "test-reader", password=PASSWORD, first_name="Test", last_name="Reader"
    )


def submit_sign_in(page, username, password):
    main = page.locator("#maincontent")
    main.locator("input[name='username']").fill(username)
    main.locator("input[name='password']").fill(password)
    main.get_by_role("button", name=re.compile("sign in", re.I)).click()


def test_sign_in_page_is_accessible_and_signs_the_user_in(account, page):
    response = page.goto("/accounts/login/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert_accessible(page)

    submit_sign_in(page, "test-reader", PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    account_nav = page.get_by_role("navigation", name="Account")
    expect(account_nav.get_by_role("button", name="Sign out")).to_be_visible()


def test_failed_sign_in_shows_an_accessible_error_summary(account, page):
    page.goto("/accounts/login/")

    submit_sign_in(page, "test-reader", "not-the-password")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    # NHS.UK frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    # The password is never echoed back into the form.
    expect(page.locator("input[name='password']")).to_have_value("")


def test_sign_out_returns_to_the_signed_out_header(account, page):
    page.goto("/accounts/login/")
    submit_sign_in(page, "test-reader", PASSWORD)

    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()

    expect(
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in")
    ).to_be_visible()


def test_sign_out_address_shows_an_accessible_page_before_and_after_signing_out(
    account, page, sign_in
):
    sign_in(page, "test-reader")
    response = page.goto("/accounts/logout/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1, name="Sign out")).to_be_visible()
    assert_accessible(page)

    page.locator("#maincontent").get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in")
    ).to_be_visible()

    page.goto("/accounts/logout/")
    expect(page.get_by_role("heading", level=1, name="You are signed out")).to_be_visible()
    expect(page.locator("#maincontent").get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page)


@pytest.fixture(scope="module")
def staff_account(site):
    return get_user_model().objects.create_user(
        "test-staff", password=PASSWORD, is_staff=True, first_name="Test", last_name="Staff"
    )


def test_an_idle_editor_lands_on_the_sign_in_page_told_why_and_comes_back(
    staff_account, page, sign_in
):
    device = add_authenticator_app(staff_account)
    sign_in(page, "test-staff")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session[LAST_ACTIVE_AT] = time.time() - 31 * 60
    session.save()

    page.goto("/trusts/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/trusts/$"))
    expect(page.locator("#maincontent [role=status]")).to_contain_text(
        "You were signed out after 30 minutes without activity. Nothing you had saved is lost."
    )
    assert_accessible(page)

    submit_sign_in(page, "test-staff", PASSWORD)
    # Platform staff prove their second factor, then come back to where they were.
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next=/trusts/$"))
    enter_app_code(page, device)

    expect(page).to_have_url(re.compile(r"/trusts/$"))
