"""The notifications app: the e-mails the portal sends about a trust's induction, and each
member's choice of which of them they get."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "E-mail notifications"

    def ready(self):
        # Connects the receivers that queue the publication and welcome e-mails.
        from . import receivers  # noqa: F401
