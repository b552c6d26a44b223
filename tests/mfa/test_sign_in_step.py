"""The MFA step of signing in: who is asked, the code from an authenticator app (each accepted
once, wrong ones throttled with a plain message), a recovery code (once), and the middleware
that lets a session still to prove its second factor reach only the MFA pages, signing in and
signing out. Codes are computed here from the device's secret, as a phone would."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from induction.models import Membership
from mfa.policy import SSO_SESSION_KEY
from tests.second_factor import add_authenticator_app, app_code, new_recovery_code

from .conftest import DEVICES, LOGIN, RECOVERY, SET_UP, VERIFY, sign_in_with_password

EDIT = "/trusts/testshire/induction/edit/"


def test_an_editor_with_an_app_is_asked_for_its_code_then_lands_where_they_were_going(
    client, pack, editor
):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor, next_page="/trusts/")

    asked = client.get("/trusts/")
    assert asked.status_code == 302
    assert asked["Location"] == f"{VERIFY}?next=/trusts/"
    page = client.get(asked["Location"]).content.decode()
    assert "<h1>Enter the code from your authenticator app</h1>" in page
    assert 'autocomplete="one-time-code"' in page

    response = client.post(VERIFY, {"code": app_code(device), "next": "/trusts/"})
    assert response.status_code == 302
    assert response["Location"] == "/trusts/"
    assert client.get("/trusts/").status_code == 200


def test_without_next_a_verified_editor_lands_on_their_pack_editor(client, pack, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    response = client.post(VERIFY, {"code": app_code(device)})
    assert response["Location"] == EDIT
    assert client.get(EDIT).status_code == 200


def test_an_editor_without_a_second_factor_is_sent_to_set_one_up_keeping_next(
    client, pack, editor
):
    sign_in_with_password(client, editor)
    response = client.get(EDIT)
    assert response["Location"] == f"{VERIFY}?next={EDIT}"
    assert client.get(response["Location"])["Location"] == f"{SET_UP}?next={EDIT}"


def test_a_wrong_code_is_refused_with_an_error_that_says_what_to_do(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Enter the code from your authenticator app" in html
    assert "nhsuk-error-summary" in html
    assert "The code is not right. Enter the 6-digit code your authenticator app shows now" in html
    assert client.get("/trusts/").status_code == 302


@pytest.mark.parametrize("typed", ["12345", "abcdef", "1234567"])
def test_a_code_that_is_not_6_digits_says_so(client, editor, typed):
    add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    html = client.post(VERIFY, {"code": typed}).content.decode()
    assert "Enter the code as 6 digits, for example 123456" in html


def test_a_code_is_accepted_once(client, editor):
    device = add_authenticator_app(editor)
    code = app_code(device)
    sign_in_with_password(client, editor)
    assert client.post(VERIFY, {"code": code}).status_code == 302

    client.post("/accounts/logout/")
    sign_in_with_password(client, editor)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()


def test_wrong_codes_lock_the_app_for_a_while_with_a_plain_message(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    wrong = f"{(int(app_code(device)) + 500_000) % 1_000_000:06d}"
    for _ in range(3):
        client.post(VERIFY, {"code": wrong})

    # Even the right code is refused while the lock lasts: guessing gains nothing.
    response = client.post(VERIFY, {"code": app_code(device)})

    html = response.content.decode()
    assert response.status_code == 400
    assert "You have entered a wrong code once. For your security, wait 1 second" in html
    assert ", then try again" in html
    assert client.get("/trusts/").status_code == 302
    # Codes sent while it is locked are not even checked.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_the_lock_ends_and_the_right_code_then_works(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3,
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5),
    )
    assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once(client, editor):
    add_authenticator_app(editor)
    code = new_recovery_code(editor)
    new_recovery_code(editor)
    sign_in_with_password(client, editor)

    response = client.post(RECOVERY, {"code": code, "next": "/trusts/"})
    assert response["Location"] == "/trusts/"
    told = client.get("/trusts/").content.decode()
    assert "You have used a recovery code. You have 1 left." in told

    client.post("/accounts/logout/")
    sign_in_with_password(client, editor)
    again = client.post(RECOVERY, {"code": code})
    assert again.status_code == 400
    assert "That recovery code is not right, or has been used already" in again.content.decode()


def test_a_recovery_code_may_be_typed_with_spaces_dashes_and_capitals(client, editor):
    add_authenticator_app(editor)
    code = new_recovery_code(editor)
    sign_in_with_password(client, editor)
    typed = f" {code[:4].upper()}-{code[4:]} "
    assert client.post(RECOVERY, {"code": typed}).status_code == 302


def test_the_code_page_offers_the_recovery_codes_when_there_are_some(client, editor):
    add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    assert "Use a recovery code" not in client.get(VERIFY).content.decode()
    new_recovery_code(editor)
    assert f'href="{RECOVERY}">Use a recovery code</a>' in client.get(VERIFY).content.decode()


def test_a_reader_is_not_asked(client, pack, reader):
    sign_in_with_password(client, reader)
    assert client.get("/trusts/testshire/induction/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/trusts/testshire/induction/"


def test_a_reader_made_an_editor_later_is_asked_at_their_next_page(client, pack, reader, trust):
    sign_in_with_password(client, reader)
    assert client.get("/trusts/").status_code == 200

    Membership.objects.create(user=reader, trust=trust, role=Membership.Role.EDITOR)

    response = client.get("/trusts/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/trusts/"


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, Membership.Role.APPROVER])
def test_editors_and_approvers_are_asked(client, make_user, trust, role):
    user = make_user("someone", trust=trust, roles=[role])
    sign_in_with_password(client, user)
    assert client.get("/trusts/")["Location"] == f"{VERIFY}?next=/trusts/"


def test_platform_staff_are_asked(client, staff):
    sign_in_with_password(client, staff)
    assert client.get("/trusts/")["Location"] == f"{VERIFY}?next=/trusts/"


def test_staff_signing_in_through_the_admin_are_asked_too(client, staff_superuser):
    response = client.post(
        "/admin/login/", {"username": "staff", "password": "password"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"


def test_a_session_signed_in_through_single_sign_on_is_not_asked(client, editor):
    sign_in_with_password(client, editor)
    # What the sso app does after its own login(): the tenant asked for the second factor.
    session = client.session
    session[SSO_SESSION_KEY] = True
    session.save()
    assert client.get("/trusts/").status_code == 200


def test_a_password_sign_in_in_a_session_that_once_came_through_sso_is_asked(client, editor):
    sign_in_with_password(client, editor)
    session = client.session
    session[SSO_SESSION_KEY] = True
    session.save()

    sign_in_with_password(client, editor)

    assert client.get("/trusts/")["Location"] == f"{VERIFY}?next=/trusts/"


def test_an_unsafe_next_is_ignored_after_the_code(client, pack, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response["Location"] == EDIT


def test_verifying_gives_the_session_a_new_key(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    before = client.session.session_key
    client.post(VERIFY, {"code": app_code(device)})
    assert client.session.session_key != before


# --- What a session still to prove its second factor can reach ------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/trusts/",
        "/trusts/testshire/induction/",
        EDIT,
        "/account/",
        "/account/notifications/",
        DEVICES,
        "/accounts/password_change/",
        "/admin/",
        "/search/?q=board",
    ],
)
def test_before_the_second_factor_every_other_page_redirects_to_the_step(
    client, pack, editor, path
):
    sign_in_with_password(client, editor)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


@pytest.mark.parametrize(
    "path", [SET_UP, "/accounts/logout/", LOGIN, "/accounts/two-step/passkey/jsi18n/"]
)
def test_before_the_second_factor_the_step_and_signing_in_and_out_are_reachable(
    client, editor, path
):
    sign_in_with_password(client, editor)
    assert client.get(path).status_code == 200


def test_before_the_second_factor_a_post_comes_back_to_its_form_page(client, pack, editor):
    sign_in_with_password(client, editor)
    response = client.post(f"{EDIT}settings/", {"title": "Changed"})
    assert response["Location"] == f"{VERIFY}?next={EDIT}settings/"
    pack.refresh_from_db()
    assert pack.title != "Changed"


def test_signing_out_works_before_the_second_factor(client, editor):
    sign_in_with_password(client, editor)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_is_still_a_404(client, editor):
    sign_in_with_password(client, editor)
    assert client.get("/no-such-page/").status_code == 404


def test_the_check_costs_a_reader_one_query_a_page(client, reader, django_assert_num_queries):
    from mfa.policy import needs_verifying

    sign_in_with_password(client, reader)
    request = client.get("/trusts/").wsgi_request
    # The session and the user are loaded already, as by every page.
    request.user.is_authenticated  # noqa: B018
    with django_assert_num_queries(1):
        assert needs_verifying(request) is False


def test_the_lock_message_counts_the_wrong_codes_and_the_wait(client, editor):
    device = add_authenticator_app(editor)
    sign_in_with_password(client, editor)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=7, throttling_failure_timestamp=timezone.now()
    )
    html = client.post(VERIFY, {"code": app_code(device)}).content.decode()
    assert (
        "You have entered a wrong code 7 times in a row. For your security, wait 2 minutes, "
        "then try again"
    ) in html


def test_a_new_editor_account_made_from_an_invitation_is_asked_at_its_next_page(
    client, pack, editor, django_capture_on_commit_callbacks
):
    from django.core import mail

    from journey import invitations
    from tests.journey.conftest import link_in

    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(
            pack=pack, user=editor, email="new.editor@example.nhs.uk", role="editor"
        )
    path, _ = link_in(mail.outbox[-1])
    account = {"first_name": "Robin", "last_name": "Ng", "password": "Long-enough-pass-9",
               "password_again": "Long-enough-pass-9"}  # fmt: skip
    joined = client.post(path, account)
    assert joined.status_code == 302

    assert client.get(joined["Location"])["Location"] == f"{VERIFY}?next={joined['Location']}"
