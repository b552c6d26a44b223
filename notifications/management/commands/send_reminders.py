"""manage.py send_reminders: the daily e-mails, for cron or a scheduler to run once a day."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.reminders import send_checklist_digests, send_review_reminders


class Command(BaseCommand):
    help = (
        "Queue today's e-mails: review reminders to pack editors (30 days before a pack's "
        "review date and once it has passed) and the weekly checklist digest to people being "
        "inducted. Safe to run more than once a day: nothing is sent twice."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        reviews = send_review_reminders(today)
        digests = send_checklist_digests(today)
        self.stdout.write(
            f"Queued {reviews} review reminder(s) and {digests} checklist digest(s) for {today}."
        )
