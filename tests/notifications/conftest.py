"""Fixtures for the notification tests: two trusts, their packs, and people with e-mail
addresses.

People (password `password`, address `<username>@example.nhs.uk`):
  hr       – editor and approver of `trust`: publishes
  md       – reader of `trust`, being inducted as its Medical Director (`md_start` is their
             start date, 20 days ago)
  ned      – reader of `trust`
  editor   – a second editor of `trust`
  outsider – editor and reader of `other_trust` only
  staff    – platform staff with no membership (may read every pack, belongs to none)
`pack` (members only) and `other_pack` are the trusts' Medical Director packs.

The PDF receiver is disconnected for these tests: rendering a PDF is the induction app's
business and takes seconds; here publishing only needs to send `version_published`.
"""

# The induction tests' fixtures are imported by name so that pytest finds them here; the
# fixtures below that take them as arguments are not redefinitions.
# ruff: noqa: F811

import datetime
import socket

import pytest
from django.core import mail
from django.utils import timezone

from induction.models import InductionPack, Membership, PackVersion
from induction.signals import version_published
from tests.induction.conftest import (  # noqa: F401  (fixtures used by name)
    django_db_setup,
    make_user,
    national,
    other_pack,
    other_trust,
    pack,
    trust,
)


@pytest.fixture(autouse=True)
def _no_pdf_rendering():
    from induction.receivers import enqueue_version_pdf

    version_published.disconnect(sender=PackVersion, dispatch_uid="induction.enqueue_version_pdf")
    yield
    version_published.connect(
        enqueue_version_pdf, sender=PackVersion, dispatch_uid="induction.enqueue_version_pdf"
    )


@pytest.fixture(autouse=True)
def _members_only(pack, other_pack):
    InductionPack.objects.filter(pk__in=[pack.pk, other_pack.pk]).update(
        visibility=InductionPack.Visibility.MEMBERS
    )
    pack.refresh_from_db()
    other_pack.refresh_from_db()


@pytest.fixture
def person(make_user):
    """`person(username, trust, *roles, **fields)`: a user with an e-mail address."""

    def make(username, trust=None, *roles, **fields):
        fields.setdefault("email", f"{username}@example.nhs.uk")
        return make_user(username, trust=trust, roles=roles, **fields)

    return make


@pytest.fixture
def hr(person, trust):
    return person("hr", trust, Membership.Role.EDITOR, Membership.Role.APPROVER)


@pytest.fixture
def editor(person, trust):
    return person("editor", trust, Membership.Role.EDITOR)


@pytest.fixture
def ned(person, trust):
    return person("ned", trust, Membership.Role.READER, first_name="Nia", last_name="Edwards")


@pytest.fixture
def md_start():
    return timezone.localdate() - datetime.timedelta(days=20)


@pytest.fixture
def md(person, trust, md_start, national):
    user = person("md", first_name="Morgan", last_name="Davies")
    Membership.objects.create(
        user=user,
        trust=trust,
        role=Membership.Role.READER,
        board_role=national,
        start_date=md_start,
    )
    return user


@pytest.fixture
def outsider(person, other_trust):
    return person("outsider", other_trust, Membership.Role.EDITOR, Membership.Role.READER)


@pytest.fixture
def staff(person):
    return person("staff", is_staff=True)


def publish(pack, user, summary, capture):
    """Publish `pack` as `user` and run what waits for the commit (the signal's receivers)."""
    with capture(execute=True):
        return pack.publish(user=user, change_summary=summary)


def edit(pack, user, text="A further paragraph."):
    from tests.induction.conftest import edit_draft

    edit_draft(pack, user, text=text)


def inboxes() -> dict[str, list]:
    """The messages sent so far, by recipient address."""
    found: dict[str, list] = {}
    for message in mail.outbox:
        for address in message.to:
            found.setdefault(address, []).append(message)
    return found


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
