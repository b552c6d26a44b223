"""The demo's journey: northshire-md six weeks in, some steps done, one overdue, version 1 read
and version 2 not; and every state the pages can show is there to see."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from induction import demo
from induction.models import InductionPack
from journey.dashboard import dashboard_for
from journey.demo import journey_data
from journey.progress import acknowledgement_of, checklist_items, record_for


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def loaded(national, settings, monkeypatch):
    settings.DEMO_DATA_ALLOWED = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return InductionPack.objects.get(trust__slug="northshire")


def user(username):
    return get_user_model().objects.get(username=username)


def test_northshire_md_started_six_weeks_ago_with_some_steps_done_and_one_overdue(loaded):
    record = record_for(user("northshire-md"), loaded)
    assert record.start_date == timezone.localdate() - datetime.timedelta(weeks=6)
    assert record.version.number == 2
    assert 0 < record.progress.done < record.progress.total
    assert [step.text for step in record.overdue] == [
        "Read the sepsis improvement plan agreed with the CQC"
    ]
    assert all(step.done_at.date() <= timezone.localdate() for step in record.steps if step.done)
    assert {91, 182} <= {step.due_by_day for step in record.steps}


def test_northshire_md_read_version_1_and_not_version_2(loaded):
    assert acknowledgement_of(user("northshire-md"), loaded).version.number == 1


def test_the_dashboard_shows_every_reading_state(loaded):
    rows = {row.user.username: row for row in dashboard_for(loaded).rows}
    assert (rows["northshire-md"].read_number, rows["northshire-ned"].read_number,
            rows["northshire-hr"].read_number) == (1, 2, None)  # fmt: skip
    assert rows["northshire-md"].is_inductee and not rows["northshire-ned"].is_inductee


def test_every_step_the_journey_fixture_names_is_in_the_published_pack(loaded):
    keys = {item["key"] for item in checklist_items(loaded.versions.get(number=2).content)}
    assert set(journey_data()["inductee"]["done"]) <= keys


def test_a_step_keeps_its_key_from_version_1_to_version_2(loaded):
    def keys_by_position(number):
        return [item["key"] for item in checklist_items(loaded.versions.get(number=number).content)]

    first, second = keys_by_position(1), keys_by_position(2)
    assert len(second) == len(first) + 1  # version 2 adds the sepsis plan
    assert set(first) < set(second)


def test_the_demo_fixtures_give_every_step_a_fixed_unique_key():
    for name in ("northshire-v1", "northshire-v2", "southmoor-v1", "southmoor-draft"):
        sections = demo.demo_pack_data(name)["sections"]
        keys = [item["key"] for item in checklist_items({"sections": sections})]
        items = [i for s in sections if s.get("kind") == "checklist" for i in s["checklist"]]
        assert len(keys) == len(items) == len(set(keys)), name
        assert all(len(key) == 32 and int(key, 16) >= 0 for key in keys), name


def test_loading_the_journey_into_an_older_demo_database_leaves_out_unknown_steps_and_says_so(
    loaded, monkeypatch
):
    """A demo database published before checklist steps had keys lacks the fixture's keys:
    loading again must not fail `make run`, and must say how to get the full demo."""
    from journey import demo as journey_demo
    from journey.models import ChecklistTick

    data = journey_data()
    unknown = "f" * 32
    data["inductee"]["done"] = [*data["inductee"]["done"], unknown]
    monkeypatch.setattr(journey_demo, "journey_data", lambda: data)
    ticks_before = ChecklistTick.objects.count()
    messages = []

    journey_demo.load_journey_demo(log=messages.append)

    assert ChecklistTick.objects.count() == ticks_before
    assert not ChecklistTick.objects.filter(item_key=unknown).exists()
    [message] = messages
    assert "lacks 1 of the checklist steps" in message
    assert "Delete db.sqlite3" in message
