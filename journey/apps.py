"""The journey app: an inductee's checklist progress and acknowledgements, and the trust's
dashboard with its members and the invitations that bring people in."""

from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "journey"
    verbose_name = "Inductees' journeys"

    def ready(self):
        # Keeps members' reading panels in step with their acknowledgements and ticks.
        from . import receivers  # noqa: F401
