"""How long a sign-in lasts: anyone who can change something (an editor, an approver, platform
staff) is signed out after DJANGO_SESSION_IDLE_MINUTES without a request; everyone is signed
out DJANGO_SESSION_MAX_HOURS after signing in. Either way they land on the sign-in page, told
why, and come back to where they were."""

import time

import pytest
from django.contrib.auth import get_user_model

from induction.models import Membership, Trust
from mdportal.session_limits import LAST_ACTIVE_AT, SIGNED_IN_AT

PAGE = "/trusts/"
IDLE_MESSAGE = (
    "You were signed out after 30 minutes without activity. Nothing you had saved is lost."
)


@pytest.fixture
def trust(db):
    return Trust.objects.create(name="Testshire NHS Trust", slug="testshire", ods_code="RT1")


@pytest.fixture
def person(trust):
    def make(*roles, **fields):
        user = get_user_model().objects.create_user("person", password="password", **fields)
        for role in roles:
            Membership.objects.create(user=user, trust=trust, role=role)
        return user

    return make


def back_dated(client, **seconds_ago):
    """Move the session's clocks back as if time had passed since the last request."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def idle(client, minutes):
    back_dated(client, **{LAST_ACTIVE_AT: minutes * 60})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "roles, fields",
    [
        ([Membership.Role.EDITOR], {}),
        ([Membership.Role.APPROVER], {}),
        ([Membership.Role.READER, Membership.Role.EDITOR], {}),
        ([], {"is_staff": True}),
    ],
    ids=["editor", "approver", "reader-and-editor", "staff"],
)
def test_someone_who_can_change_things_is_signed_out_after_30_idle_minutes(
    client, person, roles, fields
):
    client.force_login(person(*roles, **fields))
    idle(client, 31)

    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PAGE}"
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert IDLE_MESSAGE in page


def test_an_editor_active_within_the_idle_time_stays_signed_in(client, person):
    client.force_login(person(Membership.Role.EDITOR))
    idle(client, 29)

    assert client.get(PAGE).status_code == 200
    assert signed_in(client)


def test_a_request_starts_the_idle_time_again(client, person):
    client.force_login(person(Membership.Role.EDITOR))
    idle(client, 29)
    client.get(PAGE)

    assert time.time() - client.session[LAST_ACTIVE_AT] < 5


def test_a_reader_keeps_an_idle_session(client, person):
    client.force_login(person(Membership.Role.READER))
    idle(client, 120)

    assert client.get(PAGE).status_code == 200
    assert signed_in(client)


def test_the_idle_time_is_a_setting(client, person, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client.force_login(person(Membership.Role.EDITOR))
    idle(client, 6)

    response = client.get(PAGE, follow=True)

    assert "after 5 minutes without activity" in response.content.decode()
    assert not signed_in(client)


def test_a_form_sent_after_the_idle_time_is_not_handled_and_comes_back_to_its_page(
    client, person, trust
):
    client.force_login(person(Membership.Role.EDITOR))
    idle(client, 31)
    form_page = f"/trusts/{trust.slug}/induction/edit/settings/"

    response = client.post(f"{form_page}?from=somewhere", {"title": "Changed while away"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={form_page}"
    assert not signed_in(client)


@pytest.mark.parametrize("roles", [[Membership.Role.READER], [Membership.Role.EDITOR]])
def test_everyone_is_signed_out_12_hours_after_signing_in(client, person, roles):
    client.force_login(person(*roles))
    back_dated(client, **{SIGNED_IN_AT: 12 * 3600 + 60, LAST_ACTIVE_AT: 60})

    response = client.get(PAGE, follow=True)

    assert not signed_in(client)
    assert "because you signed in more than 12 hours ago" in response.content.decode()


def test_a_busy_session_still_ends_12_hours_after_signing_in(client, person):
    client.force_login(person(Membership.Role.READER))
    back_dated(client, **{SIGNED_IN_AT: 11 * 3600})
    assert client.get(PAGE).status_code == 200

    back_dated(client, **{SIGNED_IN_AT: 12 * 3600 + 1})

    assert client.get(PAGE).status_code == 302
    assert not signed_in(client)


def test_the_session_cookie_lasts_no_longer_than_the_session(client, person):
    response = client.post(
        "/accounts/login/", {"username": person().username, "password": "password"}
    )
    assert response.cookies["sessionid"]["max-age"] == 12 * 3600


def test_reading_pages_does_not_save_the_session_each_time(client, person):
    client.force_login(person(Membership.Role.EDITOR))
    client.get(PAGE)
    before = client.session[LAST_ACTIVE_AT]

    response = client.get(PAGE)

    assert "sessionid" not in response.cookies
    assert client.session[LAST_ACTIVE_AT] == before
