"""The invitation e-mail: sent once the invitation commits, plain text with an HTML alternative,
saying who invited whom to which trust as what, with the single-use link and when it stops
working. It goes to an address, not an account, so it has no link to e-mail preferences."""

import datetime
import re
from html import unescape
from types import SimpleNamespace

from django.core import mail

from journey import invitations

from .conftest import html_of

START = datetime.date.today() + datetime.timedelta(days=40)


def invite(pack, user, capture, **fields):
    with capture(execute=True):
        return invitations.invite(pack=pack, user=user, **fields)


def test_the_invitation_e_mail_says_who_invited_them_as_what_with_the_link(
    pack, person, trust, national, django_capture_on_commit_callbacks
):
    hr = person("hr", trust, "editor", first_name="Priya", last_name="Shah")
    invitation = invite(
        pack, hr, django_capture_on_commit_callbacks, email="robin@example.nhs.uk",
        role="reader", board_role_id=national.pk, start_date=START,
    )  # fmt: skip
    [message] = mail.outbox
    assert message.to == ["robin@example.nhs.uk"]
    assert message.subject == (
        "Invitation to the board induction portal of Testshire Hospitals NHS Foundation Trust"
    )
    until = f"{invitation.expires_at.astimezone(datetime.UTC):%Y}"
    html = unescape(html_of(message))
    for text in (message.body, html):
        assert "Priya Shah has invited you to join Testshire Hospitals NHS Foundation Trust" in text
        assert "as a reader: you will be able to read the trust's induction pack" in text
        assert f"starting as Medical Director on {START:%-d %B %Y}" in text
        assert re.search(r"The link works once, until \d+ \w+ " + until, text)
        assert "nothing happens unless you accept it" in text
        assert "because an editor of Testshire Hospitals NHS Foundation Trust invited" in text
        assert "/account/notifications/" not in text
    assert message.body.startswith("Hello,\n")
    link = re.search(r"http://127\.0\.0\.1:8000/invitations/[\w-]+/", message.body).group()
    assert f'href="{link}"' in html
    # The database never holds the link's token.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitations.invitation_for_token(token) == invitation
    assert token not in invitation.token_hash


def test_an_invitation_without_a_board_role_says_nothing_of_an_induction(
    pack, person, trust, django_capture_on_commit_callbacks
):
    hr = person("hr", trust, "editor")
    invite(pack, hr, django_capture_on_commit_callbacks, email="ed@example.nhs.uk", role="editor")
    [message] = mail.outbox
    assert "hr has invited you" in message.body
    assert "as an editor: you will be able to change the trust's induction pack" in message.body
    assert "starting as" not in message.body


def test_nothing_is_sent_before_the_invitation_commits(pack, person, trust):
    hr = person("hr", trust, "editor")
    invitations.invite(pack=pack, user=hr, email="robin@example.nhs.uk", role="reader")
    assert mail.outbox == []


def test_the_e_mail_is_sent_through_the_task_queue(
    pack, person, trust, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    fake_task = SimpleNamespace(enqueue=lambda **kwargs: queued.append(kwargs))
    monkeypatch.setattr(invitations, "send_email", fake_task)
    hr = person("hr", trust, "editor")
    invite(pack, hr, django_capture_on_commit_callbacks, email="q@example.nhs.uk", role="reader")
    [kwargs] = queued
    assert kwargs["to"] == ["q@example.nhs.uk"] and "/invitations/" in kwargs["body"]
    assert mail.outbox == []
