"""End to end: the e-mails leave through Django's SMTP backend and arrive at a real SMTP
server (aiosmtpd) started by the test on a free localhost port, as plain text with an HTML
alternative, each to its own recipient."""

import datetime
import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from induction.models import ChecklistItem, Membership, Section
from notifications.reminders import send_checklist_digests, send_review_reminders

from .conftest import free_port, publish


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, with its envelope."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [
            (
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
            for envelope in self.envelopes
        ]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Board induction <induction@example.nhs.uk>"
    yield inbox
    controller.stop()


def parts(message):
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_publication_e_mails_arrive_through_smtp(
    smtp_server, pack, hr, ned, md, outsider, django_capture_on_commit_callbacks
):
    publish(pack, hr, "New contacts for the ICB", django_capture_on_commit_callbacks)

    assert mail.outbox == []  # not the in-memory backend
    received = smtp_server.messages()
    assert sorted(rcpt for rcpt, _ in received) == [
        ["md@example.nhs.uk"],
        ["ned@example.nhs.uk"],
    ]
    for rcpt, message in received:
        assert message["To"] == rcpt[0]
        assert message["From"] == "Board induction <induction@example.nhs.uk>"
        assert message["Subject"] == (
            "Version 1 published: Medical Director induction pack, "
            "Testshire Hospitals NHS Foundation Trust"
        )
        assert message.get_content_type() == "multipart/alternative"
        content = parts(message)
        assert set(content) == {"text/plain", "text/html"}
        assert "New contacts for the ICB" in content["text/plain"]
        assert "New contacts for the ICB" in content["text/html"]
        assert "http://127.0.0.1:8000/account/notifications/" in content["text/plain"]


def test_welcome_reminder_and_digest_arrive_through_smtp(
    smtp_server, pack, hr, person, trust, national, django_capture_on_commit_callbacks
):
    checklist = pack.sections.get(kind=Section.Kind.CHECKLIST)
    checklist.checklist.all().delete()
    ChecklistItem.objects.create(
        section=checklist,
        category=ChecklistItem.Category.MEET,
        text="Meet the Chief Executive",
        due_by_day=ChecklistItem.Timing.WEEK_1,
    )
    version = pack.publish(user=hr)
    review = version.next_review_date
    start = review - datetime.timedelta(days=20)
    newcomer = person("newcomer")

    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(
            user=newcomer,
            trust=trust,
            role=Membership.Role.READER,
            board_role=national,
            start_date=start,
        )
    send_review_reminders(review - datetime.timedelta(days=5))
    send_checklist_digests(review - datetime.timedelta(days=5))

    received = {
        message["Subject"].split(":")[0].split(" at ")[0]: (rcpt, message)
        for rcpt, message in smtp_server.messages()
    }
    assert sorted(received) == [
        "Review due by " + f"{review.day} {review:%B %Y}",
        "Welcome to your board induction",
        "Your induction checklist this week",
    ]
    assert received["Welcome to your board induction"][0] == ["newcomer@example.nhs.uk"]
    assert received["Your induction checklist this week"][0] == ["newcomer@example.nhs.uk"]
    rcpt, reminder = received["Review due by " + f"{review.day} {review:%B %Y}"]
    assert rcpt == ["hr@example.nhs.uk"]
    digest = parts(received["Your induction checklist this week"][1])
    assert "Meet the Chief Executive" in digest["text/plain"]
    assert "<li>Meet the Chief Executive" in digest["text/html"]
