"""An inductee's checklist and reading, worked out from a published version: each step with its
due date and whether it is done, and the version they last acknowledged. The one place that
knows how a due date follows from a start date and a step's timing."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from induction.models import ChecklistItem, InductionPack, Membership, PackVersion
from page_cache import generation

from .models import Acknowledgement, ChecklistTick

# Members' reading panels are kept under this token, which every acknowledgement and checklist
# tick advances (journey/receivers.py).
READING_PANELS = generation.Token("journey:reading-panels")


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    category: str
    due_by_day: int
    due_on: datetime.date | None
    done_at: datetime.datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def timing_label(self) -> str:
        return ChecklistItem.Timing(self.due_by_day).label

    @property
    def category_label(self) -> str:
        return ChecklistItem.Category(self.category).label

    def overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done} of {self.total} done"


def due_on(start_date: datetime.date | None, due_by_day: int) -> datetime.date | None:
    """Day 1 is the start date, so a step "in the first week" (7) is due six days after it."""
    if start_date is None:
        return None
    return start_date + datetime.timedelta(days=due_by_day - 1)


def checklist_items(content: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every checklist step in a version's frozen content, in the order the pack shows them."""
    return [
        item
        for section in content.get("sections", [])
        if section.get("kind") == "checklist"
        for item in section.get("checklist", [])
        if item.get("key")
    ]


def steps(
    version: PackVersion,
    start_date: datetime.date | None,
    ticks: Iterable[ChecklistTick],
) -> list[Step]:
    """The version's checklist for one inductee. `ticks` are theirs for the version's pack."""
    done = {tick.item_key: tick.done_at for tick in ticks}
    return [
        Step(
            key=item["key"],
            text=item["text"],
            category=item["category"],
            due_by_day=item["due_by_day"],
            due_on=due_on(start_date, item["due_by_day"]),
            done_at=done.get(item["key"]),
        )
        for item in checklist_items(version.content)
    ]


def progress(of_steps: Iterable[Step]) -> Progress:
    of_steps = list(of_steps)
    return Progress(done=sum(step.done for step in of_steps), total=len(of_steps))


def ticks_for(user, pack: InductionPack):
    return ChecklistTick.objects.filter(user=user, pack=pack)


def last_acknowledged(user, pack: InductionPack) -> PackVersion | None:
    """The newest version of `pack` that `user` has said they read, or None."""
    acknowledgement = (
        Acknowledgement.objects.filter(user=user, version__pack=pack)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return acknowledgement.version if acknowledgement else None


def overdue(of_steps: Iterable[Step], today: datetime.date) -> list[Step]:
    """The steps not done whose due date has passed."""
    return [step for step in of_steps if step.overdue(today)]


def start_date_of(dates: Iterable[datetime.date | None]) -> datetime.date | None:
    """An inductee's start date from those of their memberships for the pack's board role
    (one person may hold several roles in a trust): the earliest that is set."""
    return min((date for date in dates if date is not None), default=None)


def inductee_memberships(pack: InductionPack):
    """The memberships that give their holders an induction record for `pack`: in its trust,
    for its board role."""
    return Membership.objects.filter(trust_id=pack.trust_id, board_role_id=pack.board_role_id)


@dataclass(frozen=True)
class Record:
    """One inductee's induction record for a pack, as of its newest published version."""

    user: Any
    pack: InductionPack
    version: PackVersion | None
    start_date: datetime.date | None
    steps: list[Step]
    today: datetime.date

    @property
    def progress(self) -> Progress:
        return progress(self.steps)

    @property
    def overdue(self) -> list[Step]:
        return overdue(self.steps, self.today)

    def groups(self) -> list[tuple[str, list[Step]]]:
        """The steps by timing, in the pack's order: [(timing label, steps), …]."""
        grouped: dict[str, list[Step]] = {}
        for step in self.steps:
            grouped.setdefault(step.timing_label, []).append(step)
        return list(grouped.items())


def record_for(user, pack: InductionPack, *, newest: PackVersion | None = None) -> Record | None:
    """`user`'s induction record for `pack`, or None if they are not its inductee (no
    membership of the trust for the pack's board role). `newest`, when the caller has it with
    its content, saves a query; the steps are those of the newest version (none before the
    first publication). Three queries at most."""
    if not getattr(user, "is_authenticated", False):
        return None
    dates = list(inductee_memberships(pack).filter(user=user).values_list("start_date", flat=True))
    if not dates:
        return None
    start_date = start_date_of(dates)
    if newest is None:
        newest = pack.versions.order_by("-number").first()
    return Record(
        user=user,
        pack=pack,
        version=newest,
        start_date=start_date,
        steps=steps(newest, start_date, ticks_for(user, pack)) if newest else [],
        today=timezone.localdate(),
    )


def acknowledgement_of(user, pack: InductionPack) -> Acknowledgement | None:
    """`user`'s acknowledgement of the newest version of `pack` they said they read, with that
    version (list fields only), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Acknowledgement.objects.filter(user=user, version__pack=pack)
        .select_related("version")
        .defer("version__content", "version__rendered_html")
        .order_by("-version__number")
        .first()
    )


def records_for_user(user) -> list[Record]:
    """Every induction record `user` has, one per trust and board role they are being
    inducted into that has a pack, by trust name: four queries however many."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = Membership.objects.filter(user=user, board_role__isnull=False).values_list(
        "trust_id", "board_role_id", "start_date"
    )
    starts: dict[tuple[int, int], list[datetime.date | None]] = {}
    for trust_id, board_role_id, start_date in memberships:
        starts.setdefault((trust_id, board_role_id), []).append(start_date)
    if not starts:
        return []
    packs = [
        pack
        for pack in InductionPack.objects.filter(trust_id__in={t for t, _ in starts})
        .select_related("trust", "board_role")
        .order_by("trust__name", "board_role__order")
        if (pack.trust_id, pack.board_role_id) in starts
    ]
    newest_number = (
        PackVersion.objects.filter(pack=models.OuterRef("pack"))
        .order_by("-number")
        .values("number")[:1]
    )
    newest = {
        version.pack_id: version
        for version in PackVersion.objects.filter(
            pack__in=packs, number=models.Subquery(newest_number)
        ).defer("rendered_html")
    }
    ticks: dict[int, list[ChecklistTick]] = {}
    for tick in ChecklistTick.objects.filter(user=user, pack__in=packs):
        ticks.setdefault(tick.pack_id, []).append(tick)
    today = timezone.localdate()
    records = []
    for pack in packs:
        start_date = start_date_of(starts[(pack.trust_id, pack.board_role_id)])
        version = newest.get(pack.pk)
        records.append(
            Record(
                user=user,
                pack=pack,
                version=version,
                start_date=start_date,
                steps=steps(version, start_date, ticks.get(pack.pk, [])) if version else [],
                today=today,
            )
        )
    return records
