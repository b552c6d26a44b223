"""Single sign-on in a real browser, end to end through a real OpenID Connect provider (the
test provider, tests/sso/provider, on the live server under another origin, 127.0.0.1): a
member chooses their trust on the sign-in page, signs in at the provider and lands on their
trust's pack, with the portal's Content-Security-Policy in force. A wrong tenant, an unverified
e-mail address, an expired invitation and a removed group each end on a plain page or
message; every new page passes axe-core.
"""

import datetime
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from induction.baseline import create_pack_from_baseline
from induction.models import Membership, Trust
from journey.models import Invitation
from sso.models import GroupMapping, TrustSignOn
from tests.browser.axe import assert_accessible
from tests.sso.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    EDITORS_GROUP,
    OTHER_TENANT,
    SECRET_VARIABLE,
    TENANT,
    Provider,
)
from tests.sso.provider import identities

PACK = "/trusts/testshire/induction/"


@pytest.fixture(scope="module")
def provider(roles_site, live_server):
    test_provider = Provider(live_server)
    test_provider.application()
    os.environ[SECRET_VARIABLE] = CLIENT_SECRET
    yield test_provider
    os.environ.pop(SECRET_VARIABLE, None)
    identities.forget_all()


@pytest.fixture(scope="module")
def trust(provider):
    trust = Trust.objects.create(
        name="Testshire Hospitals NHS Foundation Trust", slug="testshire", ods_code="RT1",
        kind="acute",
    )  # fmt: skip
    pack = create_pack_from_baseline(trust=trust)
    pack.visibility = "members"
    pack.save()
    sign_on = TrustSignOn.objects.create(
        trust=trust,
        enabled=True,
        issuer=provider.issuer,
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret_variable=SECRET_VARIABLE,
    )
    GroupMapping.objects.create(sign_on=sign_on, group_id=EDITORS_GROUP, role="editor")
    return trust


def member(trust, name):
    user = get_user_model().objects.create_user(name, email=f"{name}@testshire.nhs.uk")
    Membership.objects.create(user=user, trust=trust, role=Membership.Role.READER)
    return user


def sign_in_through_the_trust(page, name):
    """From the sign-in page, through the provider's own sign-in page, back to the portal."""
    page.goto("/accounts/login/")
    main = page.locator("#maincontent")
    main.get_by_label("Your trust").select_option("testshire")
    main.get_by_role("button", name="Continue to your trust").click()
    page.get_by_role("button", name=f"Sign in as {name}").click()


def test_a_member_signs_in_through_their_trust_account(provider, trust, new_context):
    member(trust, "amara")
    provider.register("amara")
    # The portal's CSP in force: its form must be allowed to lead to the provider.
    page = new_context().new_page()

    sign_in_through_the_trust(page, "amara")

    expect(page).to_have_url(re.compile(rf"^{re.escape(provider.portal)}{PACK}$"))
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_sign_in_page_and_the_trust_chooser_are_accessible(provider, trust, page):
    page.goto("/accounts/login/")
    expect(
        page.get_by_role("heading", level=2, name="Sign in with your NHS or trust account")
    ).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/sso/")
    expect(
        page.get_by_role("heading", level=1, name="Sign in with your NHS or trust account")
    ).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/sso/nowhere/")
    expect(
        page.get_by_role("heading", level=1, name="Single sign-on is not set up for this trust")
    ).to_be_visible()
    assert_accessible(page)


def refused_page(page, heading, text):
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text(heading)
    expect(main).to_contain_text(text)
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in"))
    assert_accessible(page)


def test_an_account_of_another_tenant_is_refused(provider, trust, page):
    member(trust, "bryn")
    provider.register("bryn", tid=OTHER_TENANT)

    sign_in_through_the_trust(page, "bryn")

    refused_page(
        page,
        "You signed in with another organisation's account",
        "accepts accounts from its own Microsoft Entra ID only",
    )


def test_an_unverified_e_mail_address_is_refused(provider, trust, page):
    member(trust, "cleo")
    provider.register("cleo", email_verified=False)

    sign_in_through_the_trust(page, "cleo")

    refused_page(
        page,
        "We could not confirm your e-mail address",
        "did not confirm the e-mail address of your account",
    )


def test_an_expired_invitation_is_refused(provider, trust, page):
    now = timezone.now()
    Invitation.objects.create(
        trust=trust,
        email="dara@testshire.nhs.uk",
        role="reader",
        token_hash="d" * 64,
        created_at=now - datetime.timedelta(days=20),
        expires_at=now - datetime.timedelta(days=6),
    )
    provider.register("dara")

    sign_in_through_the_trust(page, "dara")

    refused_page(page, "Your invitation has expired", "Your invitation to join Testshire")


def test_leaving_the_editors_group_takes_the_role_away_with_a_message(provider, trust, page):
    user = member(trust, "eden")
    provider.register("eden", groups=[EDITORS_GROUP])
    sign_in_through_the_trust(page, "eden")
    expect(page).to_have_url(re.compile(r"/trusts/testshire/induction/edit/$"))
    assert trust.role_names_for(user) == {"reader", "editor"}
    page.context.clear_cookies()
    provider.register("eden", groups=[])

    sign_in_through_the_trust(page, "eden")

    expect(page).to_have_url(re.compile(rf"{PACK}$"))
    expect(page.locator("#maincontent [role=status]")).to_contain_text(
        "You are no longer an editor of Testshire Hospitals NHS Foundation Trust"
    )
    trust.forget_roles(user)
    assert trust.role_names_for(user) == {"reader"}
    assert_accessible(page)
