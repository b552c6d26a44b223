"""E-mail to a trust's members when a version of its pack is published."""

from types import SimpleNamespace

from django.core import mail

from journey.models import Acknowledgement
from notifications import receivers
from notifications.models import EmailOptOut, Kind, SentNotification
from notifications.tasks import notify_version_published

from .conftest import edit, html_of, inboxes, publish


def test_every_member_who_may_read_the_pack_is_told_except_the_publisher(
    pack, hr, editor, ned, md, outsider, staff, django_capture_on_commit_callbacks
):
    publish(pack, hr, "New contacts for the ICB", django_capture_on_commit_callbacks)

    assert sorted(inboxes()) == [
        "editor@example.nhs.uk",
        "md@example.nhs.uk",
        "ned@example.nhs.uk",
    ]


def test_the_e_mail_names_the_trust_pack_and_version_and_carries_the_change_summary(
    pack, hr, ned, django_capture_on_commit_callbacks
):
    publish(pack, hr, "New contacts for the ICB", django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.subject == (
        "Version 1 published: Medical Director induction pack, "
        "Testshire Hospitals NHS Foundation Trust"
    )
    for text in (message.body, html_of(message)):
        assert "Testshire Hospitals NHS Foundation Trust has published version 1" in text
        assert "New contacts for the ICB" in text
        assert "because you are a member of Testshire Hospitals NHS Foundation Trust" in text
        assert "http://127.0.0.1:8000/account/notifications/" in text
    assert "Hello Nia Edwards," in message.body
    # Nothing about the other members.
    assert "md@" not in message.body and "editor@" not in message.body


def test_a_reader_who_acknowledged_an_earlier_version_gets_a_link_to_compare_it(
    pack, hr, ned, md, django_capture_on_commit_callbacks
):
    first = publish(pack, hr, "First", django_capture_on_commit_callbacks)
    Acknowledgement.objects.create(user=ned, version=first)
    edit(pack, hr)
    mail.outbox.clear()

    publish(pack, hr, "Second", django_capture_on_commit_callbacks)

    by_address = inboxes()
    [to_ned] = by_address["ned@example.nhs.uk"]
    compare = "http://127.0.0.1:8000/trusts/testshire/induction/compare/?from=1&amp;to=2"
    assert compare.replace("&amp;", "&") in to_ned.body
    assert "You last confirmed reading version 1" in to_ned.body
    assert compare in html_of(to_ned)
    # md acknowledged nothing: the link is to the pack itself.
    [to_md] = by_address["md@example.nhs.uk"]
    assert "compare" not in to_md.body
    assert "http://127.0.0.1:8000/trusts/testshire/induction/\n" in to_md.body


def test_site_url_gives_the_address_of_every_link(
    pack, hr, ned, settings, django_capture_on_commit_callbacks
):
    settings.PDF_SITE_URL = "https://induction.example.nhs.uk/"

    publish(pack, hr, "First", django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert "https://induction.example.nhs.uk/trusts/testshire/induction/" in message.body
    assert "https://induction.example.nhs.uk/account/notifications/" in message.body
    assert "127.0.0.1" not in message.body + html_of(message)


def test_another_trust_s_publication_tells_none_of_this_trust(
    other_pack, pack, outsider, ned, md, person, other_trust, django_capture_on_commit_callbacks
):
    from induction.models import Membership

    colleague = person("colleague", other_trust, Membership.Role.READER)

    publish(other_pack, outsider, "Theirs", django_capture_on_commit_callbacks)

    assert sorted(inboxes()) == [colleague.email]


def test_members_who_turned_it_off_and_people_without_an_address_get_nothing(
    pack, hr, ned, md, editor, django_capture_on_commit_callbacks
):
    EmailOptOut.objects.create(user=ned, kind=Kind.VERSION_PUBLISHED)
    EmailOptOut.objects.create(user=md, kind=Kind.CHECKLIST_DIGEST)  # another kind
    editor.email = ""
    editor.save()

    publish(pack, hr, "First", django_capture_on_commit_callbacks)

    assert sorted(inboxes()) == ["md@example.nhs.uk"]
    assert not SentNotification.objects.filter(recipient__in=[ned, editor]).exists()


def test_switched_off_accounts_get_nothing(pack, hr, ned, django_capture_on_commit_callbacks):
    ned.is_active = False
    ned.save()

    publish(pack, hr, "First", django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_version_is_announced_once_however_often_its_task_runs(
    pack, hr, ned, md, django_capture_on_commit_callbacks
):
    version = publish(pack, hr, "First", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2

    again = notify_version_published.enqueue(version_id=version.pk)

    assert again.return_value == 0
    assert len(mail.outbox) == 2
    assert SentNotification.objects.filter(kind=Kind.VERSION_PUBLISHED).count() == 2


def test_the_e_mails_are_queued_only_after_the_publication_commits(
    pack, hr, ned, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = notify_version_published.get_backend()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = pack.publish(user=hr, change_summary="First")
    assert backend.results == []

    for callback in callbacks:
        callback()

    assert [(r.task.name, r.kwargs) for r in backend.results] == [
        ("notify_version_published", {"version_id": version.pk})
    ]
    assert mail.outbox == []
    # What the worker then does.
    notify_version_published.call(version_id=version.pk)
    assert [r.task.name for r in backend.results][1:] == ["send_email"]


def test_a_publication_that_fails_queues_nothing(
    pack, hr, ned, settings, django_capture_on_commit_callbacks
):
    from induction.publishing import NothingToPublish

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    publish(pack, hr, "First", django_capture_on_commit_callbacks)
    backend = notify_version_published.get_backend()
    backend.clear()

    with django_capture_on_commit_callbacks(execute=True):
        try:
            pack.publish(user=hr, change_summary="Nothing new")
        except NothingToPublish:
            pass

    assert backend.results == []


def test_a_queue_that_refuses_the_task_does_not_fail_the_publication(
    pack, hr, ned, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(receivers, "notify_version_published", SimpleNamespace(enqueue=refuse))

    version = publish(pack, hr, "First", django_capture_on_commit_callbacks)

    assert version.number == 1
    assert mail.outbox == []
