"""Asking for a password reset: the e-mail goes through the task queue, never inside the
request, and requests are limited per client address and per e-mail address. Over a limit the
page says exactly what it always says, and no e-mail is sent."""

import ipaddress

import pytest
from django.core import mail
from django.core.cache import cache

from mdportal.tasks import send_email

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"
NGINX = "10.9.9.9"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        "alice", email="alice@example.nhs.uk", password="correct-horse-battery"
    )


@pytest.fixture
def limits(settings):
    settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 4
    settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = 2
    return settings


def ask(client, email, address="198.51.100.20", **extra):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address, **extra)


def test_a_reset_request_sends_its_link_by_e_mail(client, alice):
    response = ask(client, "alice@example.nhs.uk")

    assert response.status_code == 302
    assert response["Location"] == DONE
    [message] = mail.outbox
    assert message.to == ["alice@example.nhs.uk"]
    assert "/accounts/reset/" in message.body


def test_the_reset_e_mail_is_queued_as_a_task_not_sent_in_the_request(client, alice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    ask(client, "alice@example.nhs.uk")

    assert mail.outbox == []
    [queued] = send_email.get_backend().results
    assert queued.task.name == "send_email"
    assert queued.kwargs["to"] == ["alice@example.nhs.uk"]
    # What a worker does with it: the same message, link and all.
    send_email.call(**queued.kwargs)
    [message] = mail.outbox
    assert "/accounts/reset/" in message.body
    assert message.subject == queued.kwargs["subject"]


def test_an_unknown_e_mail_address_gets_the_same_page_and_no_e_mail(client, db):
    response = ask(client, "nobody@example.nhs.uk")
    assert response.status_code == 302
    assert response["Location"] == DONE
    assert mail.outbox == []


def test_requests_from_one_address_over_its_limit_send_nothing(client, alice, limits):
    for n in range(limits.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        ask(client, f"someone-{n}@example.nhs.uk")

    response = ask(client, "alice@example.nhs.uk")

    assert response.status_code == 302
    assert response["Location"] == DONE
    assert mail.outbox == []


def test_requests_for_one_account_over_its_limit_send_nothing_from_any_address(
    client, alice, limits
):
    for n in range(limits.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR):
        ask(client, "alice@example.nhs.uk", address=f"198.51.100.{n + 1}")
    assert len(mail.outbox) == limits.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR

    response = ask(client, "ALICE@example.nhs.uk ", address="192.0.2.77")

    assert response["Location"] == DONE
    assert len(mail.outbox) == limits.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR


def test_the_page_over_the_limit_reads_the_same_as_under_it(client, alice, limits):
    under = client.get(ask(client, "alice@example.nhs.uk")["Location"]).content
    for _ in range(limits.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        ask(client, "alice@example.nhs.uk")
    over = client.get(ask(client, "alice@example.nhs.uk")["Location"]).content
    assert over == under


def test_behind_a_proxy_forged_forwarded_for_entries_do_not_reset_the_count(
    client, alice, limits
):
    limits.TRUSTED_PROXIES = [ipaddress.ip_network(NGINX)]
    for n in range(limits.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        ask(
            client,
            f"someone-{n}@example.nhs.uk",
            address=NGINX,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66",
        )

    ask(client, "alice@example.nhs.uk", NGINX, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.66")
    assert mail.outbox == []
    # Someone else behind the same proxy still can.
    ask(client, "alice@example.nhs.uk", NGINX, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert len(mail.outbox) == 1
