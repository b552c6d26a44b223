"""Sign-in: NHS-styled, with an error summary, and throttled by username and address together."""

import pytest
from django.urls import reverse

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


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


@pytest.fixture
def behind_one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


def sign_in_through_proxy(client, username, password, client_address):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR="10.9.9.9",  # the reverse proxy
        HTTP_X_FORWARDED_FOR=f"{client_address}, 10.9.9.9",
    )


def test_behind_a_proxy_the_lock_follows_the_clients_address_not_the_proxys(
    client, alice, behind_one_proxy
):
    for _ in range(5):
        sign_in_through_proxy(client, "alice", "wrong", "203.0.113.7")
    assert sign_in_through_proxy(client, "alice", PASSWORD, "203.0.113.7").status_code == 429
    # Another person behind the same proxy is not locked out of the same account.
    response = sign_in_through_proxy(client, "alice", PASSWORD, "203.0.113.8")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
