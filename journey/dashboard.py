"""The trust's induction dashboard: each member of the pack's trust, their start date,
checklist progress and the version they last said they read, for the trust's editors and
approvers. Every figure is scoped to the one pack (so to its trust), and the whole table costs
the same few queries however many members, steps, ticks and versions there are.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from induction.models import InductionPack, Membership, PackVersion

from .models import Acknowledgement, ChecklistTick
from .progress import Progress, Step, overdue, progress, start_date_of, steps


@dataclass
class MemberRow:
    """One member of the trust on the dashboard. `progress` and `overdue` are None for members
    who are not being inducted into the pack's board role."""

    user: Any
    roles: list[str] = field(default_factory=list)
    board_role: str = ""
    is_inductee: bool = False
    start_date: datetime.date | None = None
    progress: Progress | None = None
    overdue: int | None = None
    read_number: int | None = None
    read_at: datetime.datetime | None = None

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


@dataclass
class Dashboard:
    pack: InductionPack
    newest: PackVersion | None
    rows: list[MemberRow]

    @property
    def read_newest(self) -> int:
        """How many members said they read the newest version."""
        if self.newest is None:
            return 0
        return sum(row.read_number == self.newest.number for row in self.rows)


def dashboard_for(pack: InductionPack) -> Dashboard:
    """Every member of the pack's trust with their induction figures for `pack`: four
    queries, whatever the number of members, steps, ticks and versions."""
    memberships = (
        Membership.objects.filter(trust_id=pack.trust_id)
        .select_related("user", "board_role")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    rows: dict[int, MemberRow] = {}
    for membership in memberships:
        row = rows.setdefault(membership.user_id, MemberRow(user=membership.user))
        row.roles.append(Membership.Role(membership.role).label.split(" (")[0])
        if membership.board_role_id is not None and not row.board_role:
            row.board_role = membership.board_role.name
        if membership.board_role_id == pack.board_role_id:
            row.is_inductee = True
            row.start_date = start_date_of([row.start_date, membership.start_date])
    newest = pack.versions.order_by("-number").first()
    members = Membership.objects.filter(trust_id=pack.trust_id).values("user")
    ticks: dict[int, list[ChecklistTick]] = defaultdict(list)
    for tick in ChecklistTick.objects.filter(pack=pack, user__in=members).only(
        "user_id", "item_key", "done_at"
    ):
        ticks[tick.user_id].append(tick)
    today = timezone.localdate()
    for row in rows.values():
        if row.is_inductee and newest is not None:
            their_steps: list[Step] = steps(newest, row.start_date, ticks[row.user.pk])
            row.progress = progress(their_steps)
            row.overdue = len(overdue(their_steps, today))
    readings = (
        Acknowledgement.objects.filter(version__pack=pack, user__in=members)
        .order_by("version__number")
        .values_list("user_id", "version__number", "acknowledged_at")
    )
    for user_id, number, acknowledged_at in readings:
        # Ordered by number, so the newest version each member read is the one that stays.
        rows[user_id].read_number, rows[user_id].read_at = number, acknowledged_at
    return Dashboard(pack=pack, newest=newest, rows=list(rows.values()))


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


CSV_HEADER = [
    "Name",
    "Username",
    "Roles",
    "Board role",
    "Start date",
    "Checklist steps done",
    "Checklist steps",
    "Steps overdue",
    "Last version read",
    "Read on",
]


def write_csv(dashboard: Dashboard, out) -> None:
    """The dashboard as CSV, one row per member, to a file-like `out`."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in dashboard.rows:
        writer.writerow(
            spreadsheet_safe(value)
            for value in (
                row.name,
                row.user.username,
                "; ".join(row.roles),
                row.board_role,
                row.start_date.isoformat() if row.start_date else "",
                row.progress.done if row.progress else "",
                row.progress.total if row.progress else "",
                row.overdue if row.overdue is not None else "",
                row.read_number or "",
                timezone.localtime(row.read_at).strftime("%Y-%m-%d %H:%M") if row.read_at else "",
            )
        )
