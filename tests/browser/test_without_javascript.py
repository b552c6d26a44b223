"""The portal works with JavaScript switched off: reading the explainer, and an HR admin signing
in, editing a section and saving it. JavaScript only enhances."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from induction.models import Section
from tests.browser.conftest import DEMO_PASSWORD
from tests.second_factor import add_authenticator_app, enter_app_code


@pytest.fixture
def no_script_page(new_context):
    return new_context(java_script_enabled=False).new_page()


def test_explainer_reads_without_javascript(demo_site, no_script_page):
    page = no_script_page
    for address in (
        "/",
        "/roles/medical-director/",
        "/roles/for-non-executive-directors/",
        "/roles/sources/",
        "/roles/glossary/",
        "/trusts/northshire/induction/",
    ):
        response = page.goto(address)
        assert response.status == 200, address
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Without scripts the page is never marked as script-enabled…
        expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
        # …and every header menu link is still there to follow.
        expect(
            page.locator(".nhsuk-header__navigation-link[href='/roles/glossary/']")
        ).to_be_visible()

    page.goto("/roles/medical-director/")
    page.locator("#maincontent .app-citations a").first.click()
    expect(page).to_have_url(re.compile(r"/roles/sources/"))


def test_questions_for_neds_open_without_javascript(demo_site, no_script_page):
    page = no_script_page
    page.goto("/roles/for-non-executive-directors/")

    question = page.locator("#maincontent details").first
    question.locator("summary").click()

    expect(question).to_have_attribute("open", "")
    expect(question.locator(".nhsuk-details__text")).to_be_visible()


def test_sign_in_edit_and_save_round_trip_without_javascript(demo_site, no_script_page):
    page = no_script_page
    app = add_authenticator_app(User.objects.get(username="northshire-hr"))
    page.goto("/trusts/northshire/induction/edit/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    main = page.locator("#maincontent")
    main.locator("input[name='username']").fill("northshire-hr")
    main.locator("input[name='password']").fill(DEMO_PASSWORD)
    main.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # An editor enters the code from their authenticator app: a plain form, no script needed.
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next="))
    enter_app_code(page, app)
    expect(page).to_have_url(re.compile(r"/trusts/northshire/induction/edit/$"))

    row = page.locator("table.app-section-list tbody tr").filter(
        has=page.get_by_role("cell", name="Free text (Markdown)", exact=True)
    )
    row.first.get_by_role("rowheader").get_by_role("link").click()
    main = page.locator("#maincontent")
    body = main.locator("textarea[name='body']")
    body.fill(body.input_value() + "\n\nSaved by the no-JavaScript browser test.")
    main.get_by_role("button", name="Preview").click()
    expect(page.locator(".app-preview")).to_contain_text("Saved by the no-JavaScript browser test.")
    page.locator("#maincontent").get_by_role("button", name="Save the section").click()

    expect(page).to_have_url(re.compile(r"/trusts/northshire/induction/edit/(#section-\d+)?$"))
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")
    assert Section.objects.filter(
        pack__trust__slug="northshire", body__contains="Saved by the no-JavaScript browser test."
    ).exists()


def test_every_editor_page_opens_without_javascript(demo_site, new_context, sign_in):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "northshire-hr")
    base = "/trusts/northshire/induction/"
    for address in (
        "edit/",
        "edit/preview/",
        "edit/settings/",
        "edit/sections/add/",
        "publish/",
        "history/",
        "compare/?from=1&to=2",
        "audit/",
        "v1/",
    ):
        response = page.goto(base + address)
        assert response.status == 200, address
        expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_header_links_stay_reachable_on_a_narrow_screen_without_javascript(demo_site, new_context):
    page = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}).new_page()
    page.goto("/")

    for link in page.locator(".nhsuk-header__navigation-link[href]").all():
        expect(link).to_be_visible()
    page.locator(".nhsuk-header__navigation-link[href='/roles/glossary/']").click()
    expect(page).to_have_url(re.compile(r"/roles/glossary/$"))
