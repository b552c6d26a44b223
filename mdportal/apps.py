"""The project app: system checks for production settings, connected when Django starts."""

from django.apps import AppConfig


class MdportalConfig(AppConfig):
    name = "mdportal"
    verbose_name = "Board induction portal"

    def ready(self):
        # The deploy checks register themselves, and session_limits starts the session clocks
        # at sign-in.
        from . import checks, session_limits  # noqa: F401
