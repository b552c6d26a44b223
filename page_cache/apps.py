"""The page cache app: listens for changes to what public pages show, from Django's start."""

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "page_cache"
    verbose_name = "Page cache"

    def ready(self):
        from . import generation

        generation.listen()
