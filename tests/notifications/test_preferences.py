"""The e-mail preferences page: signed-in people choose which kinds of e-mail they get, only
for themselves; bad input changes nothing."""

import pytest
from django.urls import reverse

from notifications.models import EmailOptOut, Kind

URL = "/account/notifications/"


def turned_off(user):
    return EmailOptOut.objects.turned_off(user)


def test_the_page_has_its_address():
    assert reverse("notifications:preferences") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for response in (client.get(URL), client.post(URL, {"wanted": []})):
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={URL}"


def test_everything_is_ticked_until_turned_off(client, ned):
    client.force_login(ned)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Which e-mails do you want to get?" in html
    assert html.count('type="checkbox"') == len(Kind.values)
    assert html.count(" checked") == len(Kind.values)
    assert "ned@example.nhs.uk" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_unticking_turns_those_kinds_off_and_ticking_turns_them_on_again(client, ned):
    client.force_login(ned)

    response = client.post(URL, {"wanted": [Kind.VERSION_PUBLISHED, Kind.WELCOME]}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Your e-mail choices have been saved." in response.content.decode()
    assert turned_off(ned) == {
        Kind.REVIEW_REMINDER,
        Kind.CHECKLIST_DIGEST,
        Kind.APPROVAL_REQUESTED,
        Kind.APPROVAL_ANSWERED,
    }
    html = response.content.decode()
    assert html.count(" checked") == 2

    client.post(URL, {"wanted": [Kind.VERSION_PUBLISHED, Kind.CHECKLIST_DIGEST]})
    assert turned_off(ned) == {
        Kind.REVIEW_REMINDER,
        Kind.WELCOME,
        Kind.APPROVAL_REQUESTED,
        Kind.APPROVAL_ANSWERED,
    }

    client.post(URL, {})  # nothing ticked: every kind off
    assert turned_off(ned) == set(Kind.values)


@pytest.mark.parametrize(
    "data",
    [
        {"wanted": ["spam"]},
        {"wanted": [Kind.WELCOME, "password_reset"]},
        {"wanted": ["<script>alert(1)</script>"]},
    ],
)
def test_a_choice_that_is_not_offered_is_refused_and_changes_nothing(client, ned, data):
    EmailOptOut.objects.create(user=ned, kind=Kind.WELCOME)
    client.force_login(ned)

    response = client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose only from the e-mails listed" in html
    assert "<title>Error: Your e-mail choices" in html
    assert "<script>alert(1)</script>" not in html
    assert turned_off(ned) == {Kind.WELCOME}


def test_a_person_changes_only_their_own_choices(client, ned, md):
    EmailOptOut.objects.create(user=md, kind=Kind.CHECKLIST_DIGEST)
    client.force_login(ned)

    # Naming someone else in the form does nothing: the page only ever acts on the signer-in.
    client.post(URL, {"wanted": [], "user": md.pk, "user_id": md.pk})
    page = client.get(URL).content.decode()

    assert turned_off(ned) == set(Kind.values)
    assert turned_off(md) == {Kind.CHECKLIST_DIGEST}
    assert "md@example.nhs.uk" not in page


def test_someone_without_an_address_is_told_no_e_mail_can_reach_them(client, person):
    nobody = person("no-address", email="")
    client.force_login(nobody)

    html = client.get(URL).content.decode()

    assert "We have no e-mail address for you" in html


def test_the_page_works_without_javascript_as_a_plain_form(client, ned):
    client.force_login(ned)

    html = client.get(URL).content.decode()

    assert 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="submit"' in html


def test_the_home_page_links_to_the_choices_for_signed_in_people(client, ned):
    assert URL not in client.get("/").content.decode()
    client.force_login(ned)
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_the_page_makes_a_fixed_number_of_queries(client, ned, django_assert_max_num_queries):
    client.force_login(ned)
    with django_assert_max_num_queries(3):
        client.get(URL)
    # Saving: read, delete, insert inside one transaction, whatever is chosen.
    with django_assert_max_num_queries(8):
        client.post(URL, {"wanted": []})
    with django_assert_max_num_queries(8):
        client.post(URL, {"wanted": Kind.values})
