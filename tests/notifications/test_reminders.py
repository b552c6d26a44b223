"""The daily command's e-mails: review reminders to a pack's editors and the weekly checklist
digest to the person being inducted. Run twice the same day it sends nothing twice; the digest
goes at most once per ISO week."""

import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from induction.models import ChecklistItem, Membership, Section
from journey.models import ChecklistTick
from notifications.models import EmailOptOut, Kind, SentNotification
from notifications.reminders import send_checklist_digests, send_review_reminders

from .conftest import edit, html_of, inboxes

DAY = datetime.timedelta(days=1)
# A Monday, so that the ISO weeks below are easy to follow.
START = datetime.date(2026, 3, 2)
STEPS = [
    ("Meet the Chief Executive", ChecklistItem.Timing.WEEK_1),  # due 8 March
    ("Read the quality strategy", ChecklistItem.Timing.DAY_30),  # due 31 March
    ("Meet the clinical directors", ChecklistItem.Timing.DAY_60),  # due 30 April
    ("Three-month review with the Chief Executive", ChecklistItem.Timing.MONTH_3),
]


@pytest.fixture
def md_start():
    return START


@pytest.fixture
def version(pack, hr):
    """`pack`, with the checklist above, published as version 1."""
    checklist = pack.sections.get(kind=Section.Kind.CHECKLIST)
    checklist.checklist.all().delete()
    for order, (text, timing) in enumerate(STEPS):
        ChecklistItem.objects.create(
            section=checklist,
            category=ChecklistItem.Category.MEET,
            text=text,
            due_by_day=timing,
            order=order,
        )
    return pack.publish(user=hr, change_summary="First")


def keys(version):
    """Each checklist step's key, by its text."""
    [checklist] = [
        section["checklist"]
        for section in version.content["sections"]
        if section["kind"] == Section.Kind.CHECKLIST
    ]
    return {step["text"]: step["key"] for step in checklist}


# --- Review reminders ---


@pytest.fixture
def review(version):
    return version.next_review_date


def test_editors_are_reminded_30_days_before_the_review_date_and_not_sooner(
    version, review, hr, editor, ned, md, outsider
):
    assert send_review_reminders(review - 31 * DAY) == 0
    assert mail.outbox == []

    assert send_review_reminders(review - 30 * DAY) == 2

    assert sorted(inboxes()) == ["editor@example.nhs.uk", "hr@example.nhs.uk"]
    message = inboxes()["editor@example.nhs.uk"][0]
    due = f"{review.day} {review:%B %Y}"
    assert message.subject == (
        f"Review due by {due}: Medical Director induction pack, "
        "Testshire Hospitals NHS Foundation Trust"
    )
    for text in (message.body, html_of(message)):
        assert f"is due for review on {due}, in 30 days" in text
        assert "http://127.0.0.1:8000/trusts/testshire/induction/edit/" in text
        assert "because you are an editor of the Medical Director induction pack" in text
        assert "http://127.0.0.1:8000/account/notifications/" in text


def test_each_reminder_goes_once_however_often_the_days_run(version, review, hr, editor):
    for offset in range(30, -1, -1):
        send_review_reminders(review - offset * DAY)
        send_review_reminders(review - offset * DAY)
    assert len(mail.outbox) == 2

    for offset in range(1, 40):
        send_review_reminders(review + offset * DAY)

    overdue = [message for message in mail.outbox if "overdue" in message.subject]
    assert sorted(message.to[0] for message in overdue) == [
        "editor@example.nhs.uk",
        "hr@example.nhs.uk",
    ]
    assert "The review is overdue." in overdue[0].body
    assert len(mail.outbox) == 4


def test_a_command_first_run_after_the_date_sends_only_the_overdue_reminder(version, review, hr):
    send_review_reminders(review + 3 * DAY)

    [message] = mail.outbox
    assert message.subject.startswith("Review overdue since")


def test_a_new_version_has_its_own_review_date_and_reminders(
    version, pack, review, hr, django_capture_on_commit_callbacks
):
    send_review_reminders(review - 30 * DAY)
    assert len(mail.outbox) == 1
    edit(pack, hr)
    newer = pack.publish(user=hr, change_summary="Reviewed")

    # Version 2 was published the same day, so its review date is the same; its reminder is
    # its own all the same, and version 1 is no longer the one readers see.
    assert send_review_reminders(newer.next_review_date - 30 * DAY) == 1
    assert "The version readers see now is version 2." in mail.outbox[-1].body
    assert send_review_reminders(newer.next_review_date - 30 * DAY) == 0


def test_other_trusts_editors_and_opted_out_editors_are_not_reminded(
    version, review, hr, editor, outsider, other_pack
):
    EmailOptOut.objects.create(user=editor, kind=Kind.REVIEW_REMINDER)

    send_review_reminders(review)

    assert sorted(inboxes()) == ["hr@example.nhs.uk"]


def test_a_pack_never_published_has_no_review_to_remind_of(pack, hr):
    assert send_review_reminders(datetime.date(2100, 1, 1)) == 0


# --- The weekly checklist digest ---


def test_the_inductee_gets_their_overdue_and_coming_week_s_steps(version, md, ned, hr):
    friday = START + 25 * DAY  # 27 March 2026

    assert send_checklist_digests(friday) == 1

    [message] = mail.outbox
    assert message.to == ["md@example.nhs.uk"]
    assert message.subject == "Your induction checklist this week: 2 steps to do"
    body = message.body
    assert "Overdue:\n- Meet the Chief Executive (was due 8 March 2026)" in body
    assert "Due in the coming week:\n- Read the quality strategy (due 31 March 2026)" in body
    assert "Meet the clinical directors" not in body
    assert "Your progress so far: 0 of 4 done." in body
    assert "because you are being inducted at Testshire Hospitals NHS Foundation Trust" in body
    html = html_of(message)
    assert "<li>Meet the Chief Executive (was due 8 March 2026)</li>" in html
    assert "http://127.0.0.1:8000/account/notifications/" in html


def test_steps_done_are_left_out(version, pack, md):
    ChecklistTick.objects.create(
        user=md, pack=pack, item_key=keys(version)["Meet the Chief Executive"]
    )

    send_checklist_digests(START + 25 * DAY)

    [message] = mail.outbox
    assert "Meet the Chief Executive" not in message.body
    assert "Your progress so far: 1 of 4 done." in message.body
    assert message.subject == "Your induction checklist this week: 1 step to do"


def test_the_digest_goes_at_most_once_a_week_and_again_the_next_week(version, md):
    friday = START + 25 * DAY
    send_checklist_digests(friday)
    send_checklist_digests(friday)
    send_checklist_digests(friday + DAY)  # Saturday, same ISO week
    assert len(mail.outbox) == 1

    assert send_checklist_digests(friday + 3 * DAY) == 1  # Monday

    assert len(mail.outbox) == 2
    assert "Read the quality strategy (was due 31 March 2026)" not in mail.outbox[1].body
    assert SentNotification.objects.filter(kind=Kind.CHECKLIST_DIGEST).count() == 2


def test_nobody_with_nothing_due_gets_a_digest(version, md, pack):
    assert send_checklist_digests(START - 30 * DAY) == 0
    for key in keys(version).values():
        ChecklistTick.objects.create(user=md, pack=pack, item_key=key)
    assert send_checklist_digests(START + 200 * DAY) == 0
    assert mail.outbox == []


def test_only_members_being_inducted_into_the_pack_s_role_get_a_digest(
    version, md, ned, hr, outsider, other_pack, other_trust, national, person
):
    # Someone being inducted at another trust, whose pack is not published: nothing.
    elsewhere = person("elsewhere-md")
    Membership.objects.create(
        user=elsewhere,
        trust=other_trust,
        role=Membership.Role.READER,
        board_role=national,
        start_date=START,
    )
    # A member with a start date but no board role is not an inductee.
    Membership.objects.filter(user=ned).update(start_date=START)

    send_checklist_digests(START + 25 * DAY)

    assert sorted(inboxes()) == ["md@example.nhs.uk"]


def test_an_inductee_who_turned_the_digest_off_gets_none(version, md):
    EmailOptOut.objects.create(user=md, kind=Kind.CHECKLIST_DIGEST)

    assert send_checklist_digests(START + 25 * DAY) == 0
    assert mail.outbox == []


# --- The command ---


def run_command_on(day, monkeypatch) -> str:
    from notifications.management.commands import send_reminders

    monkeypatch.setattr(send_reminders, "timezone", SimpleNamespace(localdate=lambda: day))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_running_the_command_twice_the_same_day_sends_nothing_twice(
    version, review, md, hr, editor, monkeypatch
):
    # A day on which both a review reminder and a digest are due.
    day = review - 10 * DAY
    Membership.objects.filter(user=md).update(start_date=day - 25 * DAY)

    first = run_command_on(day, monkeypatch)
    second = run_command_on(day, monkeypatch)

    assert first == f"Queued 2 review reminder(s) and 1 checklist digest(s) for {day}.\n"
    assert second == f"Queued 0 review reminder(s) and 0 checklist digest(s) for {day}.\n"
    assert sorted(inboxes()) == [
        "editor@example.nhs.uk",
        "hr@example.nhs.uk",
        "md@example.nhs.uk",
    ]
    assert len(mail.outbox) == 3


def test_the_command_runs_on_today_s_date(version, md):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().endswith(f" for {timezone.localdate()}.\n")
