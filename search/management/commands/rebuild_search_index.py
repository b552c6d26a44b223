"""manage.py rebuild_search_index: build the search index again from its sources."""

from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Index the national guide and every published pack version again. Publishing and "
        "loading the reference data keep the index up to date; this repairs it after a "
        "failure, or fills it for data restored from a backup."
    )

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write(
            f"Indexed {counts['national']} items of the national guide and "
            f"{counts['pack']} sections of published pack versions."
        )
