"""The search app: one full-text index of the national guide and the published pack versions."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # Keeps the index in step with publications and the national reference data
        # (search/receivers.py).
        from . import receivers

        receivers.connect_post_migrate(self)
