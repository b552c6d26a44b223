"""The induction app: trusts, their induction packs, publishing and PDF handbooks."""

from django.apps import AppConfig


class InductionConfig(AppConfig):
    name = "induction"
    verbose_name = "Trust induction packs"

    def ready(self):
        # Connects the receiver that queues each new version's PDF (induction/receivers.py).
        from . import receivers  # noqa: F401
