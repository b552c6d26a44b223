"""Which e-mails each person has turned off, and which e-mails have been sent.

`SentNotification` is how an e-mail is sent at most once: its row is created, under a unique
constraint, before the e-mail is queued, so a second run of the daily command, a task run
twice by a worker, or two runs at once find the row and send nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    """The kinds of e-mail the portal sends; each can be turned off on its own. The labels are
    what the preferences page asks about."""

    VERSION_PUBLISHED = (
        "version_published",
        "When a new version of your trust's induction pack is published",
    )
    WELCOME = "welcome", "A welcome when your trust sets the date you start in a board role"
    REVIEW_REMINDER = (
        "review_reminder",
        "Reminders when your trust's pack is due for review (for the pack's editors)",
    )
    APPROVAL_REQUESTED = (
        "approval_requested",
        "When an editor asks you to approve a draft of your trust's pack (for approvers)",
    )
    APPROVAL_ANSWERED = (
        "approval_answered",
        "When a draft you asked to have approved is returned with comments or published",
    )
    CHECKLIST_DIGEST = (
        "checklist_digest",
        "A weekly list of the checklist steps you have due or overdue (for people being inducted)",
    )


class EmailOptOutQuerySet(models.QuerySet):
    def turned_off(self, user) -> set[str]:
        """The kinds of e-mail `user` has turned off."""
        return set(self.filter(user=user).values_list("kind", flat=True))


class EmailOptOut(models.Model):
    """One kind of e-mail a person does not want. No row means they get it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EmailOptOutQuerySet.as_manager()

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = "e-mail opt-out"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
        ]

    def __str__(self):
        return f"{self.user} does not want: {self.get_kind_display()}"


class SentNotification(models.Model):
    """An e-mail of `kind` sent (queued) to `recipient` about `key`: for example the version
    published, the trust welcomed to, the review reminder of a version, or the ISO week of a
    checklist digest. Unique, so the same e-mail is never queued twice."""

    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_notifications"
    )
    key = models.CharField(max_length=100)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "key"], name="one_notification_per_key"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} ({self.key})"
