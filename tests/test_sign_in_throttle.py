"""The sign-in throttle behind a reverse proxy, driven through the sign-in view with the
header nginx really sends (`X-Forwarded-For: <whatever the client sent>, <client>`).

Three limits, each within the cool-off: per account and address, per address across accounts
(password spraying) and per account across addresses. Forged X-Forwarded-For entries gain an
attacker nothing, and nobody's failures lock out an honest person at another address.
"""

import ipaddress

import pytest

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
NGINX = "10.9.9.9"
ATTACKER = "203.0.113.66"
HONEST = "198.51.100.20"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def behind_nginx(settings):
    """DJANGO_BEHIND_PROXY=1 and DJANGO_TRUSTED_PROXIES=10.9.9.9, as settings reads them."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(NGINX)]


def through_nginx(client, username, password, address, client_header=None, **extra):
    """A sign-in from `address` as nginx passes it on, with the client's own X-Forwarded-For
    (if it sent one) in front of the address nginx appends."""
    forwarded = f"{client_header}, {address}" if client_header else address
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_X_FORWARDED_PROTO="https",
        **extra,
    )


def signed_in(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def test_spoofed_forwarded_for_entries_gain_an_attacker_nothing(client, alice, behind_nginx):
    answers = [
        through_nginx(client, "alice", "wrong", ATTACKER, client_header=spoof).status_code
        for spoof in [f"192.0.2.{n}" for n in range(1, 9)] + ["unknown", f"{HONEST}"]
    ]
    assert answers == [200] * 4 + [429] * 6

    response = through_nginx(client, "alice", PASSWORD, ATTACKER, client_header="192.0.2.200")

    assert response.status_code == 429
    assert "Sign-in locked for now" in response.content.decode()
    assert not signed_in(client, alice)


def test_an_honest_client_at_another_address_is_not_locked_out_by_the_attacker(
    client, alice, behind_nginx
):
    for n in range(10):
        through_nginx(client, "alice", "wrong", ATTACKER, client_header=f"192.0.2.{n}")

    # The honest browser sends no X-Forwarded-For of its own: nginx's header is one entry.
    response = through_nginx(client, "alice", PASSWORD, HONEST)

    assert response.status_code == 302
    assert signed_in(client, alice)


def test_an_honest_client_behind_the_proxy_is_locked_only_by_its_own_failures(
    client, alice, django_user_model, behind_nginx
):
    django_user_model.objects.create_user("bob", password=PASSWORD)
    for _ in range(5):
        through_nginx(client, "alice", "wrong", HONEST)

    assert through_nginx(client, "alice", PASSWORD, HONEST).status_code == 429
    # Someone else behind the same proxy, signing in as anyone, is not the locked client.
    assert through_nginx(client, "alice", PASSWORD, "198.51.100.21").status_code == 302


def test_a_client_connecting_around_the_proxy_cannot_choose_its_address(
    client, alice, behind_nginx
):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_a_new_user_agent_for_each_guess_gains_nothing(client, alice, behind_nginx):
    for n in range(5):
        through_nginx(client, "alice", "wrong", ATTACKER, HTTP_USER_AGENT=f"guesser/{n}")
    response = through_nginx(client, "alice", PASSWORD, ATTACKER, HTTP_USER_AGENT="guesser/99")
    assert response.status_code == 429


# --- Password spraying: one address, many accounts -------------------------------------


@pytest.fixture
def spray_limit(settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    return settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def spray(client, count, address=ATTACKER):
    for n in range(count):
        through_nginx(client, f"board-member-{n}", "Winter2026!", address)


def test_one_address_spraying_a_password_across_accounts_is_locked_out(
    client, alice, behind_nginx, spray_limit
):
    spray(client, spray_limit)

    response = through_nginx(client, "alice", PASSWORD, ATTACKER)

    assert response.status_code == 429
    assert "with several usernames" in response.content.decode()
    assert not signed_in(client, alice)


def test_below_the_spraying_limit_other_accounts_still_sign_in(
    client, alice, behind_nginx, spray_limit
):
    spray(client, spray_limit - 1)
    assert through_nginx(client, "alice", PASSWORD, ATTACKER).status_code == 302


def test_a_sprayer_signing_in_to_its_own_account_does_not_clear_its_count(
    client, alice, django_user_model, behind_nginx, spray_limit
):
    django_user_model.objects.create_user("mallory", password=PASSWORD)
    spray(client, spray_limit - 1)
    assert through_nginx(client, "mallory", PASSWORD, ATTACKER).status_code == 302
    client.logout()

    spray(client, 1)

    assert through_nginx(client, "alice", PASSWORD, ATTACKER).status_code == 429


def test_a_spraying_address_does_not_lock_out_anyone_elsewhere(
    client, alice, behind_nginx, spray_limit
):
    spray(client, spray_limit)
    assert through_nginx(client, "alice", PASSWORD, HONEST).status_code == 302


# --- Many addresses guessing one account -----------------------------------------------


@pytest.fixture
def account_limit(settings):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 12
    return settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT


def guess_from_many_addresses(client, failures):
    """`failures` wrong passwords for alice, three from each of several addresses: each stays
    under the per-address limit of five."""
    for n in range(failures):
        through_nginx(client, "alice", "wrong", f"203.0.113.{100 + n // 3}")


def test_many_addresses_guessing_one_account_are_stopped(
    client, alice, behind_nginx, account_limit
):
    guess_from_many_addresses(client, account_limit)

    # Every address that has guessed is locked, even with the right password…
    assert through_nginx(client, "alice", PASSWORD, "203.0.113.100").status_code == 429
    # …and a fresh address gets one guess, then it is locked too.
    assert through_nginx(client, "alice", "wrong", "203.0.113.200").status_code == 429
    response = through_nginx(client, "alice", PASSWORD, "203.0.113.200")
    assert response.status_code == 429
    assert "from several networks" in response.content.decode()


def test_an_honest_client_signs_in_while_its_account_is_guessed_from_elsewhere(
    client, alice, behind_nginx, account_limit
):
    guess_from_many_addresses(client, account_limit * 2)

    assert through_nginx(client, "alice", PASSWORD, HONEST).status_code == 302
    assert signed_in(client, alice)
