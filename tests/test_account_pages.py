"""Your account and the password pages, in NHS.UK style: the account page's links, resetting a
forgotten password from the e-mailed link (which works once, and never skips the second factor
of someone who must use one), and changing one's password."""

import re

import pytest
from django.core import mail

from induction.models import Membership, Trust
from mfa.policy import SSO_SESSION_KEY

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-new-and-longer-passphrase"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        "alice", email="alice@example.nhs.uk", password=PASSWORD, first_name="Alice"
    )


def reset_link(client) -> str:
    client.post("/accounts/password_reset/", {"email": "alice@example.nhs.uk"})
    [message] = mail.outbox
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def test_your_account_links_to_the_password_second_factors_and_e_mail_choices(client, alice):
    client.force_login(alice)
    html = client.get("/account/").content.decode()
    assert "<h1>Your account</h1>" in html
    assert '<a href="/accounts/password_change/">Change your password</a>' in html
    assert 'href="/account/two-step/"' in html
    assert 'href="/account/notifications/"' in html
    assert "alice@example.nhs.uk" in html


def test_the_header_links_the_signed_in_name_to_your_account(client, alice):
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert re.search(r'<a class="nhsuk-header__account-link" href="/account/">', html)


def test_your_account_asks_anyone_signed_out_to_sign_in(client, db):
    assert client.get("/account/")["Location"] == "/accounts/login/?next=/account/"


def test_someone_signed_in_through_single_sign_on_is_not_offered_a_password_change(
    client, alice
):
    client.force_login(alice)
    session = client.session
    session[SSO_SESSION_KEY] = True
    session.save()
    assert "Change your password" not in client.get("/account/").content.decode()


def test_the_sign_in_page_links_to_the_password_reset(client, db):
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()


def test_the_reset_request_page_is_nhs_styled_and_says_what_to_fix(client, db):
    page = client.get("/accounts/password_reset/").content.decode()
    assert "<h1>Reset your password</h1>" in page
    assert '<label class="nhsuk-label" for="id_email">Email address</label>' in page

    html = client.post("/accounts/password_reset/", {"email": "not an address"}).content.decode()
    assert "<title>Error: Reset your password" in html
    assert "nhsuk-error-summary" in html
    assert "Enter an email address in the correct format, like name@nhs.net" in html


def test_the_reset_e_mail_says_how_long_its_link_works(client, alice):
    reset_link(client)
    assert "The link works once, for 3 days." in mail.outbox[0].body
    assert mail.outbox[0].subject == "Reset your password for NHS board induction"


def test_the_done_page_never_says_whether_the_account_exists(client, alice):
    page = client.get("/accounts/password_reset/done/").content.decode()
    assert "<h1>Check your email</h1>" in page


def test_a_reset_link_sets_a_new_password_once(client, alice):
    link = reset_link(client)
    form_page = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]

    mismatch = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    )
    assert "The passwords do not match: type the same one twice" in mismatch.content.decode()

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == "/accounts/reset/done/"
    complete = client.get("/accounts/reset/done/").content.decode()
    assert "Your password has been changed" in complete
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

    used = client.get(link, follow=True).content.decode()
    assert "<h1>This link does not work</h1>" in used
    assert 'href="/accounts/password_reset/"' in used


def test_a_reset_never_skips_the_second_factor(client, alice):
    trust = Trust.objects.create(name="Testshire", slug="testshire", ods_code="RT1", kind="acute")
    Membership.objects.create(user=alice, trust=trust, role=Membership.Role.EDITOR)
    link = reset_link(client)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    client.post("/accounts/login/", {"username": "alice", "password": NEW_PASSWORD})

    assert client.get("/trusts/")["Location"] == "/accounts/two-step/?next=/trusts/"


def test_changing_the_password_needs_the_current_one(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/password_change/").content.decode()
    assert "<h1>Change your password</h1>" in page

    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ).content.decode()
    assert "Your current password is not right. Enter it again" in wrong
    assert "nhsuk-error-summary" in wrong

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    done = client.get(response["Location"]).content.decode()
    assert "Your password has been changed" in done
    assert "You are still signed in." in done


def test_a_new_password_must_pass_the_validators(client, alice):
    client.force_login(alice)
    html = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "This password is too common." in html
