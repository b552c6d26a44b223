"""Never losing an edit, in a real browser: changes saved after a sign-out in another tab are
kept over the sign-in and shown again, not saved, until the editor saves them; and leaving a
form with unsaved changes raises the browser's own "Leave site?" prompt."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from induction.models import Section
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DEMO_PASSWORD
from tests.second_factor import add_authenticator_app, enter_app_code

SECTION = "/trusts/northshire/induction/edit/sections/{}/"
NOTICE = "We kept the changes you had not saved"


@pytest.fixture
def section(demo_site):
    return (
        Section.objects.filter(pack__trust__slug="northshire", kind=Section.Kind.MARKDOWN)
        .order_by("order")
        .first()
    )


def body_field(page):
    return page.locator("#maincontent textarea[name='body']")


def save(page):
    page.locator("#maincontent").get_by_role("button", name="Save the section").click()


def dialogs_of(page):
    """The types of the dialogs the page raises, each accepted (so leaving goes ahead)."""
    raised = []

    def accept(dialog):
        raised.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    return raised


def test_a_save_after_signing_out_in_another_tab_is_kept_until_signed_in_again(
    context, page, sign_in, section
):
    app = add_authenticator_app(User.objects.get(username="northshire-hr"))
    sign_in(page, "northshire-hr")
    page.goto(SECTION.format(section.pk))
    typed = "Typed in tab A while tab B signed out."
    body_field(page).fill(typed)

    other_tab = context.new_page()
    other_tab.goto("/trusts/")
    other_tab.get_by_role("navigation", name="Account").get_by_role(
        "button", name="Sign out"
    ).click()
    expect(other_tab.get_by_role("navigation", name="Account")).not_to_contain_text("Sign out")

    dialogs = dialogs_of(page)
    save(page)

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    main = page.locator("#maincontent")
    expect(main).to_contain_text("Sign in to save your changes. We have kept them.")
    assert_accessible(page)
    main.locator("input[name='username']").fill("northshire-hr")
    main.locator("input[name='password']").fill(DEMO_PASSWORD)
    main.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # The editor's second factor, then back to the section with what they typed.
    enter_app_code(page, app)

    expect(page).to_have_url(re.compile(rf"/edit/sections/{section.pk}/$"))
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text(NOTICE)
    expect(body_field(page)).to_have_value(typed)
    assert_accessible(page)
    section.refresh_from_db()
    assert section.body != typed

    save(page)

    expect(page.locator("#maincontent")).to_contain_text("Saved the section")
    section.refresh_from_db()
    assert section.body == typed
    assert dialogs == []


def test_leaving_a_section_with_unsaved_changes_asks_first(page, sign_in, section):
    sign_in(page, "northshire-hr")
    page.goto(SECTION.format(section.pk))
    dialogs = dialogs_of(page)

    body_field(page).press_sequentially(" More.")
    page.get_by_role("link", name="Back to the editor without saving").click()

    expect(page).to_have_url(re.compile(r"/induction/edit/$"))
    assert dialogs == ["beforeunload"]


def test_saving_a_section_does_not_ask_and_leaving_it_untouched_does_not_either(
    page, sign_in, section
):
    sign_in(page, "northshire-hr")
    page.goto(SECTION.format(section.pk))
    dialogs = dialogs_of(page)
    body_field(page).press_sequentially(" Saved.")

    save(page)
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")
    page.goto(SECTION.format(section.pk))
    page.locator("#maincontent").click(position={"x": 5, "y": 5})
    page.get_by_role("link", name="Back to the editor without saving").click()

    expect(page).to_have_url(re.compile(r"/induction/edit/$"))
    assert dialogs == []


@pytest.mark.parametrize("address", ["settings/", "sections/add/"])
def test_the_settings_and_add_section_forms_ask_before_leaving_too(page, sign_in, address):
    sign_in(page, "northshire-hr")
    page.goto(f"/trusts/northshire/induction/edit/{address}")
    dialogs = dialogs_of(page)

    page.locator("#maincontent input[name='title']").press_sequentially(" typed")
    page.get_by_role("link", name="Edit the pack").click()

    expect(page).to_have_url(re.compile(r"/induction/edit/$"))
    assert dialogs == ["beforeunload"]
