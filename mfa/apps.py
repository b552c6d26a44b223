"""The MFA app: the sign-in step that asks for a second factor, and the pages that manage one."""

from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = "Two-step sign-in"

    def ready(self):
        # Marks each sign-in through Django's login() as a local one (mfa/policy.py).
        from . import policy  # noqa: F401
