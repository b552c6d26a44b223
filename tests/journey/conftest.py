"""Fixtures for the journey tests: the induction tests' trusts, packs and people, plus the
inductee.

  inductee  – a reader of `trust` being inducted as its Medical Director, who started six
              weeks ago (so the first week's and day 30's steps are overdue until ticked)

`send_invitation(email, role, …)` invites someone to `trust` as `editor`, e-mail and all, and
gives back the invitation and its link's token; `link_in(message)` reads the link of an
invitation e-mail.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from induction.models import Membership
from tests.induction.conftest import *  # noqa: F403 - the shared trusts, packs and people

SIX_WEEKS = datetime.timedelta(weeks=6)


@pytest.fixture
def inductee(make_user, trust, national):
    user = make_user("new-md", first_name="Asha", last_name="Newton")
    Membership.objects.create(
        user=user,
        trust=trust,
        role=Membership.Role.READER,
        board_role=national,
        start_date=timezone.localdate() - SIX_WEEKS,
    )
    return user


def step_keys(version):
    """The keys of a version's checklist steps, in order."""
    from journey.progress import checklist_items

    return [item["key"] for item in checklist_items(version.content)]


def version_with_checklist(pack, number=1):
    """A version of `pack` frozen from its draft (checklist and all) without publishing it:
    publishing renders a PDF, too slow to do for every case of a matrix."""
    from induction.models import PackVersion
    from induction.snapshot import snapshot_draft

    now = timezone.now()
    return PackVersion.objects.create(
        pack=pack,
        number=number,
        content=snapshot_draft(pack),
        rendered_html="<p>The pack.</p>",
        published_at=now,
        next_review_date=(now + datetime.timedelta(days=365)).date(),
    )


INVITATION_LINK = re.compile(r"http://127\.0\.0\.1:8000(/invitations/([\w-]+)/)")


def link_in(message) -> tuple[str, str]:
    """(the site path, the token) of the invitation link in an e-mail's text."""
    path, token = INVITATION_LINK.search(message.body).groups()
    return path, token


@pytest.fixture
def send_invitation(pack, editor, django_capture_on_commit_callbacks):
    """Invite someone to `pack`'s trust through the service, as `editor` unless told otherwise,
    running what happens on commit (the e-mail): returns (invitation, its link's token)."""
    from journey import invitations

    def send(email="new.member@example.nhs.uk", role=Membership.Role.READER, *, user=None,
             **fields):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitations.invite(
                pack=pack, user=user or editor, email=email, role=role, **fields
            )
        return invitation, link_in(mail.outbox[-1])[1]

    return send
