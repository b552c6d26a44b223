"""Two-step sign-in in a real browser: setting up an authenticator app from the page's key and
signing in with codes computed here, as a phone would; a recovery code working once; a passkey
added and used through Chromium's virtual authenticator (WebAuthn over the DevTools protocol);
the app working with JavaScript off; and axe on every new page, the account and password pages
included."""

import itertools
import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from playwright.sync_api import expect

from induction.models import Membership, Trust
from tests.browser.axe import assert_accessible
from tests.second_factor import (
    add_authenticator_app,
    add_passkey,
    enter_app_code,
    new_recovery_code,
    unused_app_code,
)

PASSWORD = "a-long-test-password-2026"
PEOPLE = itertools.count(1)


@pytest.fixture(scope="module")
def trust(site):
    return Trust.objects.create(
        name="Browsershire NHS Trust", slug="browsershire", ods_code="RB1", kind="acute"
    )


@pytest.fixture
def make_editor(trust):
    """A new editor of the trust for each test (tests in a module share the database)."""

    def make():
        number = next(PEOPLE)
        user = get_user_model().objects.create_user(
            f"editor-{number}", password=PASSWORD, email=f"editor-{number}@example.nhs.uk",
            first_name="Eddie", last_name="Tor",
        )  # fmt: skip
        Membership.objects.create(user=user, trust=trust, role=Membership.Role.EDITOR)
        return user

    return make


def sign_in_with_password(page, user, address="/accounts/login/"):
    page.goto(address)
    main = page.locator("#maincontent")
    main.locator("input[name='username']").fill(user.username)
    main.locator("input[name='password']").fill(PASSWORD)
    main.get_by_role("button", name=re.compile("sign in", re.I)).click()


def sign_out(page):
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation", name="Account")).not_to_contain_text("Sign out")


def phone_code(key_text: str, *, steps_from_now: int = 0) -> str:
    """The code an authenticator app shows for the key typed from the page."""
    phone = TOTP(b32decode(key_text + "=" * (-len(key_text) % 8)))
    phone.time += steps_from_now * 30
    return f"{phone.token():06d}"


def set_up_app_from_the_page(page) -> str:
    """On the set-up page: read the key as a person would type it, enter the app's code, and
    return the key."""
    expect(page.get_by_role("heading", level=1, name="Set up two-step sign-in")).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#secret-key").inner_text().replace("Setup key:", "").replace(" ", "")
    main = page.locator("#maincontent")
    main.get_by_label("Code from your authenticator app").fill(phone_code(key.strip()))
    main.get_by_role("button", name="Set up").click()
    return key.strip()


def save_recovery_codes(page) -> list[str]:
    expect(page.get_by_role("heading", level=1, name="Save your recovery codes")).to_be_visible()
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("button", name="I have saved these codes").click()
    return codes


def test_an_editor_sets_up_an_app_at_first_sign_in_then_signs_in_with_its_codes(
    make_editor, page
):
    editor = make_editor()
    sign_in_with_password(page, editor, "/accounts/login/?next=/trusts/")

    expect(page).to_have_url(re.compile(r"/accounts/two-step/set-up/\?next=/trusts/$"))
    expect(page.locator(".app-qr-code svg[role=img]")).to_be_visible()
    assert_accessible(page)
    key = set_up_app_from_the_page(page)
    save_recovery_codes(page)
    expect(page).to_have_url(re.compile(r"/trusts/$"))
    expect(page.locator("#maincontent [role=status]")).to_contain_text("Two-step sign-in is set up")

    sign_out(page)
    sign_in_with_password(page, editor, "/accounts/login/?next=/trusts/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    main = page.locator("#maincontent")
    # The code used to set the app up was this step's: the next step's is the one to use now.
    main.get_by_label("Code from your authenticator app").fill(phone_code(key, steps_from_now=1))
    main.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/trusts/$"))


def test_a_wrong_code_is_refused_then_the_app_locks_with_a_plain_message(
    make_editor, page, settings
):
    # Locked for a minute after one wrong code, not the default second: a slow machine takes
    # longer than that between the two tries.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    editor = make_editor()
    app = add_authenticator_app(editor)
    sign_in_with_password(page, editor)
    main = page.locator("#maincontent")
    wrong = f"{(int(unused_app_code(app)) + 500_000) % 1_000_000:06d}"

    main.get_by_label("Code from your authenticator app").fill(wrong)
    main.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The code is not right")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    main.get_by_label("Code from your authenticator app").fill(wrong)
    main.get_by_role("button", name="Continue").click()
    expect(summary).to_contain_text("You have entered a wrong code once. For your security, wait")


def test_a_recovery_code_works_once(make_editor, page):
    editor = make_editor()
    add_authenticator_app(editor)
    code = new_recovery_code(editor)
    new_recovery_code(editor)

    sign_in_with_password(page, editor)
    page.locator("#maincontent").get_by_role("link", name="Use a recovery code").click()
    expect(page.get_by_role("heading", level=1, name="Use a recovery code")).to_be_visible()
    assert_accessible(page)
    page.locator("#maincontent").get_by_label("Recovery code").fill(code)
    page.locator("#maincontent").get_by_role("button", name="Continue").click()
    expect(page.locator("#maincontent [role=status]")).to_contain_text(
        "You have used a recovery code. You have 1 left."
    )

    sign_out(page)
    sign_in_with_password(page, editor)
    page.locator("#maincontent").get_by_role("link", name="Use a recovery code").click()
    page.locator("#maincontent").get_by_label("Recovery code").fill(code)
    page.locator("#maincontent").get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("has been used already")
    assert_accessible(page)


def virtual_authenticator(page):
    """Chromium's virtual authenticator for this page: a platform passkey that verifies its
    user (as a fingerprint would) without anyone touching it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    return cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def test_a_passkey_is_added_from_the_account_page_then_signs_in(make_editor, page):
    editor = make_editor()
    app = add_authenticator_app(editor)
    new_recovery_code(editor)
    virtual_authenticator(page)
    sign_in_with_password(page, editor)
    enter_app_code(page, app)

    page.goto("/account/")
    assert_accessible(page)
    page.locator("#maincontent").get_by_role("link", name=re.compile("Two-step sign-in")).click()
    expect(page.get_by_role("heading", level=1, name="Two-step sign-in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#maincontent [role=status]")).to_contain_text(
        "Your passkey has been added."
    )
    expect(page.locator("#maincontent")).to_contain_text("Passkey 1")
    assert_accessible(page)

    sign_out(page)
    sign_in_with_password(page, editor, "/accounts/login/?next=/trusts/")
    expect(page.get_by_role("heading", level=2, name="Or use a passkey")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(re.compile(r"/trusts/$"))
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Eddie Tor")


def test_an_editor_may_set_up_a_passkey_instead_of_an_app(make_editor, page):
    editor = make_editor()
    virtual_authenticator(page)
    sign_in_with_password(page, editor, "/accounts/login/?next=/trusts/")
    expect(page.get_by_role("heading", level=2, name="Or use a passkey instead")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    save_recovery_codes(page)
    expect(page).to_have_url(re.compile(r"/trusts/$"))


def test_removing_a_device_is_confirmed_on_an_accessible_page(make_editor, page):
    editor = make_editor()
    app = add_authenticator_app(editor)
    new_recovery_code(editor)
    sign_in_with_password(page, editor)
    enter_app_code(page, app)

    page.goto("/account/two-step/")
    page.locator("#maincontent").get_by_role("link", name="Remove your authenticator app").click()
    expect(page.locator("#maincontent")).to_contain_text("You cannot remove your only")
    assert_accessible(page)

    page.goto("/account/two-step/")
    page.get_by_role("link", name="Get new recovery codes").click()
    assert_accessible(page)
    page.get_by_role("button", name="Get new codes").click()
    save_recovery_codes(page)
    expect(page).to_have_url(re.compile(r"/account/two-step/$"))


def test_an_app_is_set_up_and_used_with_javascript_off(make_editor, new_context):
    page = new_context(java_script_enabled=False).new_page()
    editor = make_editor()
    sign_in_with_password(page, editor, "/accounts/login/?next=/trusts/")
    key = set_up_app_from_the_page(page)
    page.get_by_role("button", name="I have saved these codes").click()
    expect(page).to_have_url(re.compile(r"/trusts/$"))

    sign_out(page)
    sign_in_with_password(page, editor)
    main = page.locator("#maincontent")
    main.get_by_label("Code from your authenticator app").fill(phone_code(key, steps_from_now=1))
    main.get_by_role("button", name="Continue").click()
    # The trust has no pack yet, so the editor lands on the homepage.
    expect(page).to_have_url(re.compile(r":\d+/$"))


def test_the_password_pages_are_accessible(make_editor, page, sign_in):
    editor = make_editor()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="reset it by email").click()
    expect(page.get_by_role("heading", level=1, name="Reset your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill(editor.email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    assert_accessible(page)

    # Browser tests queue e-mail without sending it (tests/browser/conftest.py), so the link is
    # made here as the e-mail makes it (tests/test_account_pages.py reads a real one).
    uid = urlsafe_base64_encode(force_bytes(editor.pk))
    link = f"/accounts/reset/{uid}/{default_token_generator.make_token(editor)}/"
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("another-long-passphrase-2026")
    page.get_by_label("Type the new password again").fill("something else")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The passwords do not match")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("another-long-passphrase-2026")
    page.get_by_label("Type the new password again").fill("another-long-passphrase-2026")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="This link does not work")).to_be_visible()
    assert_accessible(page)

    reader = get_user_model().objects.create_user("a-reader", password=PASSWORD)
    sign_in(page, reader.username)
    page.goto("/account/")
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1, name="Change your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("another-long-passphrase-2026")
    page.get_by_label("Type the new password again").fill("another-long-passphrase-2026")
    page.get_by_role("button", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
    page.goto("/account/two-step/")
    expect(page.locator("#maincontent")).to_contain_text("does not need two-step sign-in")
    assert_accessible(page)


def test_the_passkey_scripts_keep_to_the_content_security_policy(make_editor, new_context):
    page = new_context().new_page()  # bypass_csp off: the browser enforces the policy
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{page.url}: {message.text}")
        ),
    )
    editor = make_editor()
    app = add_authenticator_app(editor)
    add_passkey(editor)
    new_recovery_code(editor)

    sign_in_with_password(page, editor)
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    enter_app_code(page, app)
    page.goto("/account/two-step/")
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    assert not violations, "\n".join(violations)
