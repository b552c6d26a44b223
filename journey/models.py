"""What a reader has done with their trust's pack: which versions they have acknowledged and
which checklist steps they have ticked off. Both are per user; neither is ever a copy of the
pack's text."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from induction.models import InductionPack, PackVersion


class Acknowledgement(models.Model):
    """ "I have read this version": who, which version, when. One per user and version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.ForeignKey(
        PackVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_acknowledgement")
        ]

    def __str__(self):
        return f"{self.user} read {self.version}"


class ChecklistTick(models.Model):
    """A checklist step an inductee has done, found by the step's key (which survives edits and
    new versions of the pack)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checklist_ticks"
    )
    pack = models.ForeignKey(InductionPack, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=32)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "pack", "item_key"], name="one_tick_per_step")
        ]

    def __str__(self):
        return f"{self.user} did {self.item_key} in {self.pack}"
