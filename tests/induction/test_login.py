"""Signing in and out.

Sign-in is NHS-styled, with an error summary, throttled by username and address together (the
wider limits, and addresses behind a proxy, are in tests/test_sign_in_throttle.py), and
takes a member of one trust to that trust's pack. Sign-out is a POST; its address answers a GET
with a page, never by signing anyone out.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from induction.models import Membership
from induction.views.navigation import landing_url
from tests.second_factor import prove_with_recovery_code

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PASSWORD = "correct-horse-battery"
# The password tests/induction/conftest.py gives its people (editor, reader, staff…).
MEMBER_PASSWORD = "password"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password=PASSWORD)


def sign_in(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sign_in_page_is_nhs_styled_with_labelled_fields(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="nhsuk-label" for="id_username">Username</label>' in html
    assert 'class="nhsuk-button"' in html
    assert "nhsuk-error-summary" not in html


def test_correct_password_signs_in_and_follows_next(client, alice):
    response = client.post(
        LOGIN,
        {"username": "alice", "password": PASSWORD, "next": "/trusts/"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    assert response["Location"] == "/trusts/"


def test_wrong_password_shows_error_summary_and_says_what_to_do(client, alice):
    response = sign_in(client, "alice", "wrong", "10.0.0.1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert "<title>Error: Sign in" in html


def test_empty_form_links_each_error_to_its_box(client, db):
    html = client.post(LOGIN, {}, REMOTE_ADDR="10.0.0.1").content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>Enter your username' in html


def test_five_failures_lock_that_username_from_that_address(client, alice):
    for _ in range(5):
        sign_in(client, "alice", "wrong", "10.0.0.1")
    response = sign_in(client, "alice", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    assert "Sign-in locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_does_not_stop_same_username_from_another_address(client, alice):
    for _ in range(5):
        sign_in(client, "alice", "wrong", "10.0.0.1")
    response = sign_in(client, "alice", PASSWORD, "10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_lock_does_not_stop_another_username_from_same_address(client, alice, bob):
    for _ in range(5):
        sign_in(client, "alice", "wrong", "10.0.0.1")
    response = sign_in(client, "bob", PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_four_failures_do_not_lock(client, alice):
    for _ in range(4):
        sign_in(client, "alice", "wrong", "10.0.0.1")
    assert sign_in(client, "alice", PASSWORD, "10.0.0.1").status_code == 302


def test_sign_out_is_a_post_from_the_header(client, alice):
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_in_page_keeps_to_a_query_budget(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(LOGIN).status_code == 200


# --- Where people land after signing in ---


def sign_in_as(client, user, **extra):
    data = {"username": user.username, "password": MEMBER_PASSWORD, **extra}
    response = client.post(LOGIN, data, REMOTE_ADDR="10.0.0.1")
    assert client.session["_auth_user_id"] == str(user.pk)
    return response


def test_an_editor_of_one_trust_lands_on_its_pack_editor(client, pack, editor_approver):
    response = sign_in_as(client, editor_approver)
    assert response.status_code == 302
    assert response["Location"] == reverse("induction:pack_edit", kwargs={"slug": "testshire"})
    # An editor proves a second factor before the page opens (tests/mfa).
    prove_with_recovery_code(client, editor_approver)
    assert client.get(response["Location"]).status_code == 200


def test_a_reader_of_one_trust_lands_on_its_reading_page(client, pack, reader):
    response = sign_in_as(client, reader)
    assert response["Location"] == reverse("induction:pack_read", kwargs={"slug": "testshire"})
    assert client.get(response["Location"]).status_code == 200


def test_an_approver_who_cannot_edit_lands_on_the_reading_page(client, pack, approver):
    response = sign_in_as(client, approver)
    assert response["Location"] == reverse("induction:pack_read", kwargs={"slug": "testshire"})


def test_a_member_of_several_trusts_lands_on_the_homepage(client, pack, other_pack, editor):
    Membership.objects.create(user=editor, trust=other_pack.trust, role=Membership.Role.READER)
    assert sign_in_as(client, editor)["Location"] == reverse("home")


def test_platform_staff_land_on_the_homepage_even_with_one_membership(client, pack, staff):
    Membership.objects.create(user=staff, trust=pack.trust, role=Membership.Role.EDITOR)
    assert sign_in_as(client, staff)["Location"] == reverse("home")


def test_someone_without_a_membership_lands_on_the_homepage(client, pack, make_user):
    assert sign_in_as(client, make_user("nobody"))["Location"] == reverse("home")


def test_a_member_of_a_trust_without_a_pack_lands_on_the_homepage(client, trust, editor):
    assert sign_in_as(client, editor)["Location"] == reverse("home")


def test_a_safe_next_wins_over_the_members_pack(client, pack, editor):
    response = sign_in_as(client, editor, next="/roles/medical-director/")
    assert response["Location"] == "/roles/medical-director/"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_an_unsafe_next_is_ignored_and_the_member_lands_on_their_pack(client, pack, editor, unsafe):
    response = sign_in_as(client, editor, next=unsafe)
    assert response["Location"] == reverse("induction:pack_edit", kwargs={"slug": "testshire"})


def test_finding_the_landing_page_keeps_to_a_query_budget(
    pack, editor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert landing_url(editor) == reverse("induction:pack_edit", kwargs={"slug": "testshire"})


# --- Sign-out ---


def test_sign_out_address_shows_a_signed_in_user_a_sign_out_button(client, alice):
    client.force_login(alice)
    response = client.get(LOGOUT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign out" in html
    assert f'<form method="post" action="{LOGOUT}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">Sign out' in html


def test_sign_out_address_tells_someone_not_signed_in_that_they_are_signed_out(client, db):
    response = client.get(LOGOUT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>You are signed out</h1>" in html
    assert f'<a href="{LOGIN}">Sign in</a>' in html
    assert "nhsuk-header" in html


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_get_of_the_sign_out_address_never_signs_anyone_out(client, alice, method):
    client.force_login(alice)
    assert getattr(client, method)(LOGOUT).status_code == 200
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_sign_out_pages_button_signs_out_with_its_security_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    html = client.get(LOGOUT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(LOGOUT, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_a_sign_out_without_the_security_token_is_refused_and_signs_no_one_out(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(LOGOUT).status_code == 403
    assert client.session["_auth_user_id"] == str(alice.pk)
