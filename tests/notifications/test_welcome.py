"""A welcome e-mail to a member whose start date is set: once per person and trust."""

import datetime

from django.core import mail

from induction.models import Membership
from notifications.models import EmailOptOut, Kind, SentNotification

from .conftest import html_of

START = datetime.date(2026, 9, 1)


def join(user, trust, capture, **fields):
    with capture(execute=True):
        return Membership.objects.create(
            user=user, trust=trust, role=Membership.Role.READER, **fields
        )


def test_a_new_member_with_a_start_date_is_welcomed_with_the_pack_link(
    person, trust, pack, national, django_capture_on_commit_callbacks
):
    newcomer = person("newcomer", first_name="Robin", last_name="Ng")

    join(newcomer, trust, django_capture_on_commit_callbacks, board_role=national, start_date=START)

    [message] = mail.outbox
    assert message.to == ["newcomer@example.nhs.uk"]
    assert (
        message.subject
        == "Welcome to your board induction at Testshire Hospitals NHS Foundation Trust"
    )
    for text in (message.body, html_of(message)):
        assert "Your start date is 1 September 2026." in text
        assert "Medical Director induction pack" in text
        assert "http://127.0.0.1:8000/trusts/testshire/induction/" in text
        assert "because Testshire Hospitals NHS Foundation Trust added you" in text
        assert "http://127.0.0.1:8000/account/notifications/" in text
    # The pack is not published yet, and the e-mail says so.
    assert "has not published the pack yet" in message.body


def test_a_member_without_a_start_date_is_not_welcomed_until_one_is_set(
    person, trust, pack, django_capture_on_commit_callbacks
):
    newcomer = person("newcomer")
    membership = join(newcomer, trust, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    membership.start_date = START
    with django_capture_on_commit_callbacks(execute=True):
        membership.save()

    assert [message.to for message in mail.outbox] == [["newcomer@example.nhs.uk"]]


def test_changing_the_start_date_or_a_second_role_does_not_welcome_again(
    person, trust, pack, django_capture_on_commit_callbacks
):
    newcomer = person("newcomer")
    membership = join(newcomer, trust, django_capture_on_commit_callbacks, start_date=START)

    membership.start_date = START + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership.save()
        Membership.objects.create(
            user=newcomer, trust=trust, role=Membership.Role.EDITOR, start_date=START
        )

    assert len(mail.outbox) == 1
    # Already welcomed: the receiver does not even queue a task.
    assert callbacks == []


def test_joining_a_second_trust_welcomes_again_to_that_trust(
    person, trust, other_trust, pack, other_pack, django_capture_on_commit_callbacks
):
    newcomer = person("newcomer")
    join(newcomer, trust, django_capture_on_commit_callbacks, start_date=START)
    join(newcomer, other_trust, django_capture_on_commit_callbacks, start_date=START)

    assert [message.subject.rsplit(" at ", 1)[1] for message in mail.outbox] == [
        "Testshire Hospitals NHS Foundation Trust",
        "Elsewhere Community NHS Trust",
    ]
    assert "elsewhere" in mail.outbox[1].body and "testshire" not in mail.outbox[1].body


def test_a_member_who_turned_welcomes_off_gets_none(
    person, trust, pack, django_capture_on_commit_callbacks
):
    newcomer = person("newcomer")
    EmailOptOut.objects.create(user=newcomer, kind=Kind.WELCOME)

    join(newcomer, trust, django_capture_on_commit_callbacks, start_date=START)

    assert mail.outbox == []
    assert not SentNotification.objects.exists()


def test_the_welcome_is_queued_only_after_the_membership_commits(
    person, trust, pack, settings, django_capture_on_commit_callbacks
):
    from notifications.tasks import send_welcome

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    newcomer = person("newcomer")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Membership.objects.create(
            user=newcomer, trust=trust, role=Membership.Role.READER, start_date=START
        )
    assert send_welcome.get_backend().results == []

    for callback in callbacks:
        callback()

    assert [(r.task.name, r.kwargs) for r in send_welcome.get_backend().results] == [
        ("send_welcome", {"user_id": newcomer.pk, "trust_id": trust.pk})
    ]


def test_a_start_date_cleared_before_the_task_runs_sends_nothing(
    person, trust, pack, settings, django_capture_on_commit_callbacks
):
    from notifications.tasks import send_welcome

    newcomer = person("newcomer")
    membership = Membership.objects.create(
        user=newcomer, trust=trust, role=Membership.Role.READER, start_date=START
    )
    Membership.objects.filter(pk=membership.pk).update(start_date=None)

    assert send_welcome.call(user_id=newcomer.pk, trust_id=trust.pk) is False
    assert mail.outbox == []


def test_a_published_pack_is_linked_as_ready_to_read(
    person, trust, pack, hr, django_capture_on_commit_callbacks
):
    pack.publish(user=hr)
    newcomer = person("newcomer")

    join(newcomer, trust, django_capture_on_commit_callbacks, start_date=START)

    [message] = mail.outbox
    assert "Read the pack:\nhttp://127.0.0.1:8000/trusts/testshire/induction/" in message.body
    assert "not published" not in message.body
