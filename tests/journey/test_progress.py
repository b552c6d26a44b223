"""An inductee's record: due dates from the start date, progress, overdue steps, and who has a
record at all."""

import datetime

from django.utils import timezone

from induction.models import Membership
from journey.models import ChecklistTick
from journey.progress import acknowledgement_of, due_on, record_for, records_for_user

from .conftest import step_keys


def test_day_one_is_the_start_date():
    start = datetime.date(2027, 2, 1)
    assert due_on(start, 7) == datetime.date(2027, 2, 7)
    assert due_on(start, 91) == datetime.date(2027, 5, 2)
    assert due_on(None, 7) is None


def test_the_inductee_gets_the_newest_version_s_steps_with_due_dates(published, inductee):
    record = record_for(inductee, published.pack)
    assert record.version == published
    assert [step.key for step in record.steps] == step_keys(published)
    first = record.steps[0]
    assert first.due_on == record.start_date + datetime.timedelta(days=first.due_by_day - 1)
    assert str(record.progress) == f"0 of {len(record.steps)} done"


def test_six_weeks_in_the_first_week_and_day_30_steps_are_overdue(published, inductee):
    record = record_for(inductee, published.pack)
    assert {step.due_by_day for step in record.overdue} == {7, 30}
    ChecklistTick.objects.create(user=inductee, pack=published.pack, item_key=record.steps[0].key)
    again = record_for(inductee, published.pack)
    assert again.progress.done == 1
    assert len(again.overdue) == len(record.overdue) - 1


def test_a_member_without_the_board_role_has_no_record(published, reader, editor, anonymous):
    for user in (reader, editor, anonymous):
        assert record_for(user, published.pack) is None


def test_the_board_role_of_another_trust_gives_no_record_here(
    published, other_trust, make_user, national
):
    user = make_user("md-elsewhere")
    Membership.objects.create(
        user=user, trust=other_trust, role="reader", board_role=national,
        start_date=timezone.localdate(),
    )  # fmt: skip
    assert record_for(user, published.pack) is None


def test_without_a_start_date_steps_have_no_due_date_and_none_is_overdue(published, inductee):
    Membership.objects.filter(user=inductee).update(start_date=None)
    record = record_for(inductee, published.pack)
    assert record.start_date is None
    assert all(step.due_on is None for step in record.steps)
    assert record.overdue == []


def test_before_the_first_publication_the_record_has_no_steps(pack, inductee):
    record = record_for(inductee, pack)
    assert record.version is None and record.steps == []
    assert str(record.progress) == "0 of 0 done"


def test_a_tick_of_a_step_no_longer_in_the_newest_version_does_not_count(published, inductee):
    ChecklistTick.objects.create(user=inductee, pack=published.pack, item_key="f" * 32)
    assert record_for(inductee, published.pack).progress.done == 0


def test_the_acknowledgement_is_of_the_newest_version_read(published, inductee):
    from journey.models import Acknowledgement
    from tests.induction.ui_helpers import make_version

    second = make_version(published.pack, 2)
    make_version(published.pack, 3)
    Acknowledgement.objects.create(user=inductee, version=published)
    Acknowledgement.objects.create(user=inductee, version=second)
    assert acknowledgement_of(inductee, published.pack).version.number == 2


def test_records_for_user_lists_each_trust_s_record(published, inductee, other_pack, national):
    Membership.objects.create(
        user=inductee, trust=other_pack.trust, role="reader", board_role=national
    )
    records = records_for_user(inductee)
    # By trust name: Elsewhere, then Testshire.
    assert [(r.pack, r.version) for r in records] == [
        (other_pack, None),
        (published.pack, published),
    ]
