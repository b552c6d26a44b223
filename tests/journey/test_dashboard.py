"""The trust's induction dashboard and its CSV: the figures, their scope, formula-safe cells,
and a query count that does not grow with members, steps, ticks or versions."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from induction.models import Membership
from journey.dashboard import dashboard_for, spreadsheet_safe
from journey.models import Acknowledgement, ChecklistTick
from tests.induction.ui_helpers import make_version

from .conftest import step_keys


def dashboard_url(pack, csv=False):
    name = "journey:dashboard_csv" if csv else "journey:dashboard"
    return reverse(name, kwargs={"slug": pack.trust.slug})


def rows_by_username(dashboard):
    return {row.user.username: row for row in dashboard.rows}


def test_each_member_with_start_date_progress_and_last_version_read(
    published, inductee, reader, editor_approver, edited
):
    keys = step_keys(published)
    for key in keys[:3]:
        ChecklistTick.objects.create(user=inductee, pack=published.pack, item_key=key)
    Acknowledgement.objects.create(user=inductee, version=published)
    edited(published.pack, editor_approver)
    second = published.pack.publish(user=editor_approver)
    Acknowledgement.objects.create(user=reader, version=published)
    Acknowledgement.objects.create(user=reader, version=second)
    rows = rows_by_username(dashboard_for(published.pack))
    assert set(rows) == {"new-md", "reader", "hr-admin"}
    md = rows["new-md"]
    assert md.is_inductee and md.board_role == "Medical Director"
    assert md.start_date == inductee.memberships.get().start_date
    assert (md.progress.done, md.progress.total) == (3, len(step_keys(second)))
    assert (
        md.overdue
        == sum(1 for item in second.content["sections"][6]["checklist"] if item["due_by_day"] <= 30)
        - 3
    )
    assert md.read_number == 1
    assert rows["reader"].read_number == 2 and rows["reader"].progress is None
    assert rows["hr-admin"].roles == ["Approver", "Editor"] and rows["hr-admin"].read_number is None


def test_the_dashboard_holds_nothing_of_another_trust(
    published, inductee, other_pack, outsider, national
):
    Membership.objects.filter(user=outsider).update(board_role=national)
    other_version = other_pack.publish(user=outsider)
    Acknowledgement.objects.create(user=outsider, version=other_version)
    ChecklistTick.objects.create(
        user=outsider, pack=other_pack, item_key=step_keys(other_version)[0]
    )
    # A tick on this pack by someone who is not a member here is not counted either.
    ChecklistTick.objects.create(
        user=outsider, pack=published.pack, item_key=step_keys(published)[0]
    )
    rows = rows_by_username(dashboard_for(published.pack))
    assert "outsider" not in rows
    assert rows["new-md"].progress.done == 0


def test_the_page_shows_the_table_and_the_csv_link(client, published, inductee, editor):
    client.force_login(editor)
    response = client.get(dashboard_url(published.pack))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Asha Newton" in html and "Medical Director" in html
    assert f"0 of {len(step_keys(published))} done" in html
    assert dashboard_url(published.pack, csv=True) in html


def test_the_csv_has_a_row_per_member(client, published, inductee, editor_approver):
    Acknowledgement.objects.create(user=inductee, version=published)
    client.force_login(editor_approver)
    response = client.get(dashboard_url(published.pack, csv=True))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="testshire-induction-')
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:5] == ["Name", "Username", "Roles", "Board role", "Start date"]
    md = next(row for row in table if row[1] == "new-md")
    start = inductee.memberships.get().start_date.isoformat()
    assert md[:9] == ["Asha Newton", "new-md", "Reader", "Medical Director", start, "0",
                      str(len(step_keys(published))), md[7], "1"]  # fmt: skip
    assert int(md[7]) > 0


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_is_made_text(text):
    assert spreadsheet_safe(text) == "'" + text


def test_ordinary_cells_are_left_as_they_are():
    assert spreadsheet_safe("Dr Asha Newton") == "Dr Asha Newton"
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe(3) == "3"


def test_a_member_named_like_a_formula_is_harmless_in_the_csv(
    client, published, make_user, trust, editor
):
    make_user("=cmd", trust=trust, roles=["reader"], first_name="=1+1", last_name="@x")
    client.force_login(editor)
    table = list(csv.reader(io.StringIO(client.get(dashboard_url(published.pack, csv=True))
                                        .content.decode())))  # fmt: skip
    row = next(row for row in table if row[1] == "'=cmd")
    assert row[0] == "'=1+1 @x"


def _grow(pack, trust, make_user, national, *, members, versions):
    """Add members (every one an inductee with ticks and acknowledgements) and versions."""
    start = datetime.date(2026, 1, 1)
    first_new = pack.versions.count() + 1
    for number in range(first_new, first_new + versions):
        make_version(pack, number)
    newest = pack.versions.order_by("-number").first()
    keys = step_keys(pack.versions.get(number=1))
    for index in range(members):
        user = make_user(f"member-{pack.versions.count()}-{index}")
        Membership.objects.create(
            user=user, trust=trust, role="reader", board_role=national, start_date=start
        )
        for key in keys[: index % 5]:
            ChecklistTick.objects.create(user=user, pack=pack, item_key=key)
        Acknowledgement.objects.create(user=user, version=newest)


@pytest.mark.parametrize("csv_too", [False, True], ids=["page", "csv"])
def test_the_query_count_is_the_same_whatever_the_numbers(
    client, published, editor, make_user, trust, national, csv_too, django_assert_max_num_queries
):
    client.force_login(editor)
    url = dashboard_url(published.pack, csv=csv_too)
    _grow(published.pack, trust, make_user, national, members=1, versions=0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(published.pack, trust, make_user, national, members=25, versions=8)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    assert len(few) <= 9


def test_an_editor_sets_a_member_s_board_role_and_start_date_from_the_dashboard(
    client, published, reader, editor, national
):
    client.force_login(editor)
    url = reverse("journey:member_induction",
                  kwargs={"slug": published.pack.trust.slug, "user_id": reader.pk})  # fmt: skip
    assert "Which board role are they being inducted into?" in client.get(url).content.decode()
    response = client.post(url, {"board_role": str(national.pk), "start_date_day": "3",
                                 "start_date_month": "2", "start_date_year": "2027"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == dashboard_url(published.pack)
    membership = reader.memberships.get()
    assert (membership.board_role, membership.start_date) == (national, datetime.date(2027, 2, 3))


def test_a_start_date_without_a_board_role_is_refused_with_what_to_do(
    client, published, reader, editor
):
    client.force_login(editor)
    url = reverse("journey:member_induction",
                  kwargs={"slug": published.pack.trust.slug, "user_id": reader.pk})  # fmt: skip
    response = client.post(url, {"board_role": "", "start_date_day": "3",
                                 "start_date_month": "2", "start_date_year": "2027"})  # fmt: skip
    assert response.status_code == 400
    assert "Leave the start date empty, or choose the board role" in response.content.decode()
    assert reader.memberships.get().start_date is None


def test_another_trust_s_member_is_not_found_from_this_trust_s_dashboard(
    client, published, outsider, editor
):
    client.force_login(editor)
    url = reverse("journey:member_induction",
                  kwargs={"slug": published.pack.trust.slug, "user_id": outsider.pk})  # fmt: skip
    assert client.get(url).status_code == 404
    assert client.post(url, {"board_role": ""}).status_code == 404
