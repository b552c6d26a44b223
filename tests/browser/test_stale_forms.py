"""The pages that refuse a stale or empty change: a settings form opened before a colleague's
change, a publish page whose draft changed while it was open, and a publish page with nothing
new to publish. Each says what happened, saves nothing, and passes axe-core."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from induction import services
from induction.models import InductionPack, Membership
from tests.browser.axe import assert_accessible


def _colleague(trust, username):
    colleague, _ = get_user_model().objects.get_or_create(username=username)
    for role in (Membership.Role.EDITOR, Membership.Role.APPROVER):
        Membership.objects.get_or_create(user=colleague, trust=trust, role=role)
    return colleague


def test_a_stale_settings_form_shows_both_sides_and_saves_nothing(demo_site, page, sign_in):
    sign_in(page, "northshire-hr")
    page.goto("/trusts/northshire/induction/edit/settings/")
    pack = InductionPack.objects.get(trust__slug="northshire")
    colleague = _colleague(pack.trust, "northshire-colleague")
    services.update_pack_settings(
        pack=pack,
        user=colleague,
        expected_revision=pack.settings_revision,
        visibility=InductionPack.Visibility.MEMBERS,
    )

    page.get_by_label("Title of the pack").fill("A title typed over a stale form")
    page.get_by_role("button", name="Save the settings").click()

    main = page.locator("#maincontent")
    expect(main).to_contain_text("The settings changed while you were editing them")
    expect(main).to_contain_text("A title typed over a stale form")
    assert_accessible(page)
    pack.refresh_from_db()
    assert pack.visibility == InductionPack.Visibility.MEMBERS
    assert pack.title != "A title typed over a stale form"


def test_a_draft_changed_during_review_is_not_published(demo_site, page, sign_in):
    sign_in(page, "southmoor-cs")
    page.goto("/trusts/southmoor/induction/publish/")
    pack = InductionPack.objects.get(trust__slug="southmoor")
    versions_before = pack.versions.count()
    hr = get_user_model().objects.get(username="southmoor-hr")
    welcome = pack.sections.order_by("order").first()
    services.save_section(
        section=welcome,
        user=hr,
        expected_revision=welcome.revision,
        body=welcome.body + "\n\nA sentence added while the approver was reviewing.",
    )

    page.get_by_role("button", name="Publish this version").click()

    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The draft changed while you were reviewing it"
    )
    assert_accessible(page)
    assert pack.versions.count() == versions_before


def test_a_draft_the_same_as_the_newest_version_offers_nothing_to_publish(demo_site, page, sign_in):
    sign_in(page, "northshire-hr")
    page.goto("/trusts/northshire/induction/publish/")
    main = page.locator("#maincontent")
    expect(main).to_contain_text("so there is nothing to publish")
    expect(main.get_by_role("button", name="Publish this version")).to_have_count(0)
    assert_accessible(page)
