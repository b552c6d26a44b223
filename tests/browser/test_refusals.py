"""The pages that say no: locked sign-in, a role that may not edit, a pack with no version yet,
and a PDF still being prepared. Each is NHS-styled and passes axe-core."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from induction.baseline import create_pack_from_baseline
from induction.models import InductionPack, Membership, Trust
from tests.browser.axe import assert_accessible


def test_repeated_failed_sign_ins_show_an_accessible_lockout_page(site, page):
    page.goto("/accounts/login/")
    main = page.locator("#maincontent")
    username = main.locator("input[name='username']")
    attempts = 0
    # The fifth failure is answered with the lockout page itself, which has no form.
    while username.count() and attempts < 6:
        username.fill("someone-guessing")
        main.locator("input[name='password']").fill("not-the-password")
        main.get_by_role("button", name=re.compile("sign in", re.I)).click()
        page.wait_for_load_state()
        attempts += 1
    assert attempts == 5
    expect(page.get_by_role("heading", level=1)).to_contain_text("locked")
    assert_accessible(page)


def test_a_reader_on_the_editor_is_told_why_not(demo_site, page, sign_in):
    sign_in(page, "northshire-md")
    response = page.goto("/trusts/northshire/induction/edit/")
    assert response.status == 403
    expect(page.locator("#maincontent")).to_contain_text("editor")
    assert_accessible(page)


def _new_public_pack(slug, ods_code):
    trust = Trust.objects.create(
        name=f"{slug.title()} Test NHS Trust", slug=slug, ods_code=ods_code, kind="acute"
    )
    pack = create_pack_from_baseline(trust=trust)
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save(update_fields=["visibility"])
    return pack


def test_a_pack_with_no_published_version_says_so(demo_site, page):
    _new_public_pack("eastvale", "RV1")
    response = page.goto("/trusts/eastvale/induction/")
    assert response.status == 200
    expect(page.locator("#maincontent")).to_contain_text("not published")
    assert_accessible(page)


def test_a_pdf_still_being_prepared_gets_an_accessible_page(demo_site, page):
    pack = _new_public_pack("westvale", "RV2")
    publisher = get_user_model().objects.create_user("westvale-hr")
    Membership.objects.create(user=publisher, trust=pack.trust, role=Membership.Role.EDITOR)
    pack.publish(user=publisher, change_summary="First version")  # the PDF task is only queued

    response = page.goto("/trusts/westvale/induction/")
    expect(page.locator("#maincontent")).to_contain_text("being prepared")
    assert_accessible(page)

    response = page.goto("/trusts/westvale/induction/v1.pdf")
    assert response.status == 503
    assert_accessible(page)
