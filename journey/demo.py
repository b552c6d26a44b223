"""The demo's journey state (`fixtures/demo/northshire-journey.json`): who is being inducted,
since when, which steps they have done and which versions people have said they read. Loaded
by `induction.demo.load_demo` after the packs are published. Idempotent: a membership's start
date, a tick or an acknowledgement that is already there is kept."""

import datetime
import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from induction.models import InductionPack, Membership
from roles.models import Role

from .models import Acknowledgement, ChecklistTick
from .progress import checklist_items, due_on

JOURNEY_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "northshire-journey.json"


def journey_data() -> dict:
    with open(JOURNEY_FIXTURE, encoding="utf-8") as handle:
        return json.load(handle)


def load_journey_demo(
    *, today: datetime.date | None = None, log: Callable[[str], None] = print
) -> None:
    """Give the demo's inductee their start date, ticks and acknowledgements, and the other
    readers theirs, as the fixture says. Needs the trust's pack published. A demo database made
    before checklist steps had keys has none of the fixture's steps: those ticks are left out,
    and the log says how to get them."""
    data = journey_data()
    today = today or timezone.localdate()
    users = get_user_model().objects
    spec = data["inductee"]
    inductee = users.get(username=spec["username"])
    role = Role.objects.get(slug=spec["board_role"])
    pack = InductionPack.objects.get(trust__slug=data["trust"], board_role=role)
    start = today - datetime.timedelta(days=spec["started_days_ago"])
    memberships = Membership.objects.filter(user=inductee, trust=pack.trust_id)
    if not memberships.filter(board_role=role).exists():
        memberships.update(board_role=role, start_date=start)
    start = memberships.filter(board_role=role).values_list("start_date", flat=True).first()
    newest = pack.versions.order_by("-number").first()
    due_by_day = {item["key"]: item["due_by_day"] for item in checklist_items(newest.content)}
    missing = [key for key in spec["done"] if key not in due_by_day]
    if missing:
        log(
            f"The demo's published pack lacks {len(missing)} of the checklist steps the demo "
            "inductee has done (it was published by an older version of the portal), so those "
            "ticks are left out. Delete db.sqlite3 and run make run again for the full demo."
        )
    for key in (key for key in spec["done"] if key in due_by_day):
        # Each step done two days before it was due (or on the start date), never in the future.
        done_on = max(start, due_on(start, due_by_day[key]) - datetime.timedelta(days=2))
        done_at = timezone.make_aware(
            datetime.datetime.combine(min(done_on, today), datetime.time(10))
        )
        ChecklistTick.objects.get_or_create(
            user=inductee, pack=pack, item_key=key, defaults={"done_at": done_at}
        )
    for person in [spec, *data["readers"]]:
        user = users.get(username=person["username"])
        for number in person["read_versions"]:
            Acknowledgement.objects.get_or_create(
                user=user, version=pack.versions.get(number=number)
            )
