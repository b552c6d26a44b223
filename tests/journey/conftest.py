"""Fixtures for the journey tests: the induction tests' trusts, packs and people, plus the
inductee.

  inductee  – a reader of `trust` being inducted as its Medical Director, who started six
              weeks ago (so the first week's and day 30's steps are overdue until ticked)
"""

import datetime

import pytest
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
