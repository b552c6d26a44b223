"""Signal receivers of the journey app, connected in JourneyConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Acknowledgement, ChecklistTick
from .progress import READING_PANELS


@receiver(post_save, sender=Acknowledgement, dispatch_uid="journey.acknowledgement_saved")
@receiver(post_delete, sender=Acknowledgement, dispatch_uid="journey.acknowledgement_deleted")
@receiver(post_save, sender=ChecklistTick, dispatch_uid="journey.tick_saved")
@receiver(post_delete, sender=ChecklistTick, dispatch_uid="journey.tick_deleted")
def forget_reading_panels(sender, **kwargs):
    """A member's kept reading panel is made again after any acknowledgement or tick."""
    READING_PANELS.advance()
