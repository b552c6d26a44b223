"""The single sign-on app: its system check and its sign-in receiver, connected when Django
starts."""

from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        # The check registers itself; the receiver marks a single sign-on's session, and
        # unmarks it at any other sign-in.
        from . import checks, session  # noqa: F401
