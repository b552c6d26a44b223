"""The journey's pages through the test client: the inductee's checklist and its tick forms,
the reader's panel on the pack, acknowledging, and the home page's panel."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from journey.models import Acknowledgement, ChecklistTick
from tests.induction.ui_helpers import make_version, page

from .conftest import step_keys


def my_induction(pack):
    return reverse("journey:my_induction", kwargs={"slug": pack.trust.slug})


def acknowledge(pack):
    return reverse("journey:acknowledge", kwargs={"slug": pack.trust.slug})


@pytest.fixture
def as_inductee(client, inductee):
    client.force_login(inductee)
    return client


def test_the_checklist_page_lists_each_step_with_its_due_date_and_overdue_flag(
    as_inductee, published
):
    html = as_inductee.get(my_induction(published.pack)).content.decode()
    keys = step_keys(published)
    assert all(f'id="step-{key}"' in html for key in keys)
    assert f"0 of {len(keys)} done" in html
    assert "Due by " in html
    assert html.count('nhsuk-tag--red">Overdue</strong>') == sum(
        1 for item in published.content["sections"][6]["checklist"] if item["due_by_day"] <= 30
    )
    assert "At three months (review)" in html and "At six months (review)" in html


def test_ticking_a_step_records_it_and_returns_to_the_step(as_inductee, published, inductee):
    key = step_keys(published)[3]
    response = as_inductee.post(my_induction(published.pack), {"step": key, "done": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#step-{key}")
    assert ChecklistTick.objects.filter(user=inductee, item_key=key).exists()
    html = as_inductee.get(response["Location"]).content.decode()
    assert "Marked as done: " in html
    assert f"1 of {len(step_keys(published))} done" in html
    assert "Mark as not done" in html


def test_unticking_a_step_marks_it_not_done(as_inductee, published, inductee):
    key = step_keys(published)[0]
    ChecklistTick.objects.create(user=inductee, pack=published.pack, item_key=key)
    response = as_inductee.post(my_induction(published.pack), {"step": key, "done": "no"})
    assert response.status_code == 302
    assert not ChecklistTick.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"step": "0" * 32, "done": "yes"}, "not in the checklist of version 1"),
        ({"step": "<script>", "done": "yes"}, "not in the checklist of version 1"),
        ({"done": "yes"}, "not in the checklist of version 1"),
        ({"step": "KEY", "done": "maybe"}, "Choose whether the step is done"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    as_inductee, published, data, message
):
    data = {**data, "step": data.get("step", "").replace("KEY", step_keys(published)[0])}
    response = as_inductee.post(my_induction(published.pack), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "<script>" not in html.split("There is a problem")[1].split("</div>")[0]
    assert not ChecklistTick.objects.exists()


def test_ticking_needs_the_csrf_token(published, inductee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(inductee)
    response = client.post(my_induction(published.pack), {"step": step_keys(published)[0],
                                                         "done": "yes"})  # fmt: skip
    assert response.status_code == 403
    assert not ChecklistTick.objects.exists()


def test_the_tick_forms_carry_the_csrf_token(as_inductee, published):
    html = as_inductee.get(my_induction(published.pack)).content.decode()
    forms = re.findall(r"<form method=\"post\".*?</form>", html, re.S)
    assert len(forms) == len(step_keys(published))
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)


def test_without_a_start_date_the_page_says_so(as_inductee, published, inductee):
    inductee.memberships.update(start_date=None)
    html = as_inductee.get(my_induction(published.pack)).content.decode()
    assert "Your start date has not been set" in html
    assert "Overdue" not in html


def test_before_publication_the_checklist_page_says_there_is_nothing_yet(as_inductee, pack):
    html = as_inductee.get(my_induction(pack)).content.decode()
    assert "has not published its induction pack yet" in html


# --- the reader's panel on the pack -----------------------------------------------------------


def test_a_reader_is_asked_to_acknowledge_the_newest_version(client, published, reader):
    client.force_login(reader)
    html = client.get(page("pack_read", published.pack)).content.decode()
    assert "I have read version 1" in html
    assert f'action="{acknowledge(published.pack)}"' in html
    assert "Go to your induction checklist" not in html  # a reader who is not being inducted


def test_acknowledging_records_who_which_version_and_when_then_stops_asking(
    client, published, reader
):
    client.force_login(reader)
    response = client.post(acknowledge(published.pack), {"version": "1"})
    assert response.status_code == 302
    assert response["Location"] == page("version_read", published.pack, number=1) + "#pack-status"
    acknowledgement = Acknowledgement.objects.get()
    assert (acknowledgement.user, acknowledgement.version) == (reader, published)
    html = client.get(page("pack_read", published.pack)).content.decode()
    assert "You said you have read version 1" in html
    assert "I have read version 1" not in html


def test_acknowledging_twice_records_it_once_and_says_so(client, published, reader):
    client.force_login(reader)
    client.post(acknowledge(published.pack), {"version": "1"})
    response = client.post(acknowledge(published.pack), {"version": "1"}, follow=True)
    assert "You had already said you read version 1" in response.content.decode()
    assert Acknowledgement.objects.count() == 1


def test_a_newer_version_asks_again_and_links_to_what_changed(
    client, published, reader, editor_approver, edited
):
    client.force_login(reader)
    client.post(acknowledge(published.pack), {"version": "1"})
    edited(published.pack, editor_approver)
    published.pack.publish(user=editor_approver, change_summary="Second")
    html = client.get(page("pack_read", published.pack)).content.decode()
    assert "This pack has changed since you read it" in html
    compare = reverse("induction:compare", kwargs={"slug": published.pack.trust.slug})
    assert f'href="{compare}?from=1&amp;to=2"' in html
    assert "I have read version 2" in html


def test_an_older_version_s_page_points_to_the_newest_instead_of_asking(client, published, reader):
    make_version(published.pack, 2)
    client.force_login(reader)
    html = client.get(page("version_read", published.pack, number=1)).content.decode()
    assert "I have read version" not in html
    assert "Read the newest version (version 2)" in html


def test_the_inductee_sees_their_progress_on_the_pack(client, published, inductee):
    ChecklistTick.objects.create(
        user=inductee, pack=published.pack, item_key=step_keys(published)[0]
    )
    client.force_login(inductee)
    html = client.get(page("pack_read", published.pack)).content.decode()
    assert f"1 of {len(step_keys(published))} done" in html
    assert "Go to your induction checklist" in html
    assert my_induction(published.pack) in html


def test_anonymous_readers_of_a_public_pack_see_no_panel(client, published):
    published.pack.visibility = "public"
    published.pack.save()
    html = client.get(page("pack_read", published.pack)).content.decode()
    assert 'id="pack-status"' not in html


def test_the_panel_keeps_the_reading_page_s_query_count_flat(
    client, published, inductee, django_assert_max_num_queries
):
    """Ten versions and ticks cost what one does (the reading page's own budget plus at most
    four for the panel)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(inductee)
    url = page("pack_read", published.pack)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(2, 11):
        make_version(published.pack, number, sections=30)
    for key in step_keys(published):
        ChecklistTick.objects.create(user=inductee, pack=published.pack, item_key=key)
    Acknowledgement.objects.create(user=inductee, version=published)
    with django_assert_max_num_queries(len(one)):
        client.get(url)
    assert len(one) <= 10


# --- the home page -------------------------------------------------------------------------


def test_the_home_page_shows_the_inductee_their_progress(client, published, inductee):
    client.force_login(inductee)
    html = client.get("/").content.decode()
    assert f"Your induction at {published.pack.trust.name}" in html
    assert f"0 of {len(step_keys(published))} done" in html
    assert "overdue" in html
    assert my_induction(published.pack) in html


def test_the_home_page_shows_no_induction_to_other_members(client, published, reader):
    client.force_login(reader)
    assert "Your induction at" not in client.get("/").content.decode()


def test_editors_and_approvers_find_the_dashboard_from_the_pack(
    client, published, editor, approver, reader
):
    dashboard = reverse("journey:dashboard", kwargs={"slug": published.pack.trust.slug})
    for user, shown in ((editor, True), (approver, True), (reader, False)):
        client.force_login(user)
        html = client.get(page("pack_read", published.pack)).content.decode()
        assert (dashboard in html) is shown, user
