"""A signed-in reader of a kept public page gets it in their own frame, without the page's
data or templates being built again."""

import pytest
from django.urls import reverse

from page_cache.policy import PRIVATE_REVALIDATED

GUIDE = "/roles/medical-director/"
NAME = "Priya Raman"


@pytest.fixture
def reader(reader):
    reader.first_name, reader.last_name = NAME.split()
    reader.save()
    return reader


def test_a_signed_in_reader_gets_the_kept_page_with_their_own_account_links(
    client, national, reader, django_assert_max_num_queries
):
    anonymous_page = client.get(GUIDE).content.decode()
    assert "Sign in</a>" in anonymous_page
    client.force_login(reader)
    # The user, and nothing of the explainer's data (the session comes from the cache).
    with django_assert_max_num_queries(1):
        response = client.get(GUIDE)
    page = response.content.decode()
    assert response["Cache-Control"] == PRIVATE_REVALIDATED
    assert "X-Page-Cache" not in response
    assert NAME in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Sign out" in page and "Sign in</a>" not in page
    # Everything outside the frame is the kept page.
    assert page.split("<!--/messages-->")[1] == anonymous_page.split("<!--/messages-->")[1]


def test_the_kept_page_still_reads_signed_out_to_anonymous_visitors(client, national, reader):
    client.get(GUIDE)
    client.force_login(reader)
    client.get(GUIDE)
    client.logout()
    page = client.get(GUIDE).content.decode()
    assert "Sign in</a>" in page and NAME not in page


def test_a_signed_in_reader_s_messages_are_shown_in_the_frame(client, national, reader):
    client.get(GUIDE)
    client.force_login(reader)
    # Saving e-mail choices leaves a message for the next page, which is the guide here.
    client.post(reverse("notifications:preferences"), {})

    page = client.get(GUIDE).content.decode()
    assert "Your e-mail choices have been saved." in page
    # Shown once, as on any page.
    assert "Your e-mail choices have been saved." not in client.get(GUIDE).content.decode()


def test_without_a_kept_page_the_view_runs_as_usual(client, national, reader):
    client.force_login(reader)
    response = client.get(reverse("roles:glossary"))
    assert response.status_code == 200
    assert response.templates  # rendered, not spliced
    assert response["Cache-Control"] == PRIVATE_REVALIDATED
    assert NAME in response.content.decode()
