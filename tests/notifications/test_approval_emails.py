"""E-mail about approval: the trust's approvers when a draft is sent to them, and the editor who
asked when it is returned with comments or published. Real messages through Django's locmem
backend; tasks run immediately in the tests."""

import pytest
from django.core import mail

from induction import approvals
from induction.models import Membership
from notifications.models import EmailOptOut, Kind, SentNotification
from notifications.tasks import notify_approval_answered, notify_approval_requested

from .conftest import edit, html_of, inboxes


@pytest.fixture
def approver(person, trust):
    return person(
        "approver", trust, Membership.Role.APPROVER, first_name="Alex", last_name="Okafor"
    )


@pytest.fixture
def sam(person, trust):
    """The editor who asks for approval."""
    return person("sam", trust, Membership.Role.EDITOR, first_name="Sam", last_name="Patel")


@pytest.fixture
def asked(pack, hr, sam, approver, editor, ned, outsider, django_capture_on_commit_callbacks):
    """`sam` asks for approval of `pack`'s first draft; everyone else of both trusts exists."""
    edit(pack, sam)
    with django_capture_on_commit_callbacks(execute=True):
        return approvals.submit_for_approval(
            pack=pack, user=sam, message="New paragraph on the board.\nPlease check it."
        )


def test_asking_tells_the_trust_s_approvers_except_the_one_who_asked(asked):
    # hr is an editor and approver, approver only an approver; editor, ned, sam and the
    # other trust's outsider are told nothing.
    assert sorted(inboxes()) == ["approver@example.nhs.uk", "hr@example.nhs.uk"]


def test_the_approvers_e_mail_carries_the_message_and_an_absolute_link(asked):
    [message] = inboxes()["approver@example.nhs.uk"]
    assert message.subject == (
        "Approval asked for: Medical Director induction pack, "
        "Testshire Hospitals NHS Foundation Trust"
    )
    link = "http://127.0.0.1:8000/trusts/testshire/induction/publish/"
    for body in (message.body, html_of(message)):
        assert "Sam Patel has asked you to approve the draft" in body
        assert link in body
        assert "because you are an approver of the Medical Director induction pack" in body
    assert "New paragraph on the board.\nPlease check it." in message.body
    assert "New paragraph on the board.<br>Please check it." in html_of(message)
    assert "Hello Alex Okafor," in message.body


def test_the_submitter_who_is_an_approver_is_not_asked(
    pack, hr, approver, django_capture_on_commit_callbacks
):
    edit(pack, hr)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.submit_for_approval(pack=pack, user=hr)
    assert sorted(inboxes()) == ["approver@example.nhs.uk"]
    assert "They did not add a message." in mail.outbox[0].body


def test_returning_sends_the_comments_to_the_editor_who_asked(
    asked, approver, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approvals.return_with_comments(
            approval=asked, user=approver, comments="Please name the new Chair."
        )

    [message] = mail.outbox
    assert message.to == ["sam@example.nhs.uk"]
    assert message.subject == (
        "Returned with comments: Medical Director induction pack, "
        "Testshire Hospitals NHS Foundation Trust"
    )
    for body in (message.body, html_of(message)):
        assert "Alex Okafor has returned the draft" in body
        assert "Please name the new Chair." in body
        assert "http://127.0.0.1:8000/trusts/testshire/induction/edit/" in body


def test_publishing_tells_the_editor_who_asked_which_version_it_became(
    asked, pack, approver, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pack.publish(user=approver)

    to_sam = inboxes()["sam@example.nhs.uk"]
    answered = [m for m in to_sam if m.subject.startswith("Published as version 1")]
    assert len(answered) == 1
    assert "Alex Okafor has published the draft you asked to have approved" in answered[0].body
    assert "http://127.0.0.1:8000/trusts/testshire/induction/v1/" in answered[0].body


def test_withdrawing_sends_nothing(asked, sam, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approvals.withdraw(approval=asked, user=sam)
    assert mail.outbox == []


def test_each_e_mail_goes_once_however_often_the_task_runs(asked, approver):
    assert len(mail.outbox) == 2
    assert notify_approval_requested.call(approval_id=asked.pk) == 0
    approvals.return_with_comments(approval=asked, user=approver, comments="Once only.")
    assert notify_approval_answered.call(approval_id=asked.pk) is True
    assert notify_approval_answered.call(approval_id=asked.pk) is False
    assert len(mail.outbox) == 3
    assert SentNotification.objects.filter(kind=Kind.APPROVAL_ANSWERED).count() == 1


def test_a_request_answered_before_the_worker_ran_asks_nobody(
    pack, sam, approver, django_capture_on_commit_callbacks
):
    edit(pack, sam)
    approval = approvals.submit_for_approval(pack=pack, user=sam)  # its e-mails not yet sent
    approvals.withdraw(approval=approval, user=sam)
    assert notify_approval_requested.call(approval_id=approval.pk) == 0
    assert mail.outbox == []


def test_an_approver_who_turned_these_e_mails_off_gets_none(
    pack, sam, approver, hr, django_capture_on_commit_callbacks
):
    EmailOptOut.objects.create(user=approver, kind=Kind.APPROVAL_REQUESTED)
    edit(pack, sam)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.submit_for_approval(pack=pack, user=sam)
    assert sorted(inboxes()) == ["hr@example.nhs.uk"]


def test_an_editor_who_turned_answers_off_is_not_told(
    asked, sam, approver, django_capture_on_commit_callbacks
):
    EmailOptOut.objects.create(user=sam, kind=Kind.APPROVAL_ANSWERED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approvals.return_with_comments(approval=asked, user=approver, comments="Not yet.")
    assert mail.outbox == []


def test_the_preferences_page_offers_both_kinds(client, sam):
    client.force_login(sam)
    html = client.get("/account/notifications/").content.decode()
    assert "When an editor asks you to approve a draft" in html
    assert "When a draft you asked to have approved is returned with comments or published" in html
