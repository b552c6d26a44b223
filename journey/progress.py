"""An inductee's checklist and reading, worked out from a published version: each step with its
due date and whether it is done, and the version they last acknowledged. The one place that
knows how a due date follows from a start date and a step's timing."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from induction.models import ChecklistItem, InductionPack, PackVersion

from .models import Acknowledgement, ChecklistTick


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
