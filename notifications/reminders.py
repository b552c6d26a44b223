"""The daily reminders: review dates for the trust's editors and the weekly checklist digest
for each inductee. `manage.py send_reminders` runs them once a day (from cron or a scheduler);
each e-mail is keyed so that running again the same day, or the same week for the digest,
sends nothing twice."""

import datetime

from django.db.models import OuterRef, Subquery

from induction.models import PackVersion
from journey.progress import progress, steps, ticks_for

from . import emails, recipients
from .models import Kind
from .sending import send_once

# Editors hear this many days before a pack's review date, and again once it has passed.
REVIEW_NOTICE_DAYS = 30
# The digest lists the steps due within this many days from today, and every overdue one.
DIGEST_DAYS_AHEAD = 7


def latest_versions():
    """The newest version of every pack, without the heavy frozen content."""
    newest = PackVersion.objects.filter(pack=OuterRef("pack")).order_by("-number").values("pk")
    return (
        PackVersion.objects.filter(pk=Subquery(newest[:1]))
        .defer("content", "rendered_html")
        .select_related("pack__trust", "pack__board_role")
    )


def review_stage(next_review_date: datetime.date, today: datetime.date) -> str | None:
    """ "due" within REVIEW_NOTICE_DAYS of the review date (the date itself included),
    "overdue" after it, None before. Overdue as `PackVersion.is_due_for_review` has it."""
    if next_review_date < today:
        return "overdue"
    if (next_review_date - today).days <= REVIEW_NOTICE_DAYS:
        return "due"
    return None


def send_review_reminders(today: datetime.date) -> int:
    """Remind each pack's editors once when its newest version's review date is 30 days off
    or nearer, and once when it has passed. A new version has its own review date, and so its
    own reminders. Returns how many e-mails were queued."""
    queued = 0
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    for version in latest_versions().filter(next_review_date__lte=horizon):
        stage = review_stage(version.next_review_date, today)
        for editor in recipients.editors(version.pack):
            queued += send_once(
                kind=Kind.REVIEW_REMINDER,
                recipient=editor,
                key=f"version:{version.pk}:{stage}",
                build=lambda editor=editor, version=version: emails.review_reminder(
                    version=version, recipient=editor, today=today
                ),
            )
    return queued


def digest_week(today: datetime.date) -> str:
    """The ISO week a digest belongs to, such as 2026-W07: one digest per pack each week."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def send_checklist_digests(today: datetime.date) -> int:
    """Send each inductee, at most once per ISO week, the steps of their pack's newest version
    that are not done and are overdue or due within the coming week. Nobody with nothing due
    gets an e-mail. Returns how many e-mails were queued."""
    newest = {version.pack_id: version for version in latest_versions().defer(None)}
    horizon = today + datetime.timedelta(days=DIGEST_DAYS_AHEAD)
    queued = 0
    for inductee in recipients.inductees():
        version = newest.get(inductee.pack.pk)
        if version is None:
            continue
        checklist = steps(version, inductee.start_date, ticks_for(inductee.user, inductee.pack))
        to_do = [step for step in checklist if not step.done and step.due_on <= horizon]
        if not to_do:
            continue
        overdue = [step for step in to_do if step.overdue(today)]
        due = [step for step in to_do if not step.overdue(today)]
        queued += send_once(
            kind=Kind.CHECKLIST_DIGEST,
            recipient=inductee.user,
            key=f"pack:{inductee.pack.pk}:{digest_week(today)}",
            build=lambda inductee=inductee, overdue=overdue, due=due, checklist=checklist: (
                emails.checklist_digest(
                    recipient=inductee.user,
                    pack=inductee.pack,
                    overdue_steps=overdue,
                    due_steps=due,
                    progress=progress(checklist),
                    today=today,
                )
            ),
        )
    return queued
