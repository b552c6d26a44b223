"""The search index: one row per thing a result can link to.

A row is a piece of the national guide (a role, a responsibility, a finding, a glossary
term…) or one section of a published pack version. Its text is plain (no markup) and is what
the full-text index covers: on PostgreSQL the stored `search_vector` with its GIN index, on
SQLite an FTS5 table that triggers keep in step with this one (search/migrations/0002).
Rows are written only through search/backends.py, and rebuilt from their sources whenever
needed (search/indexing.py), so they are never edited by hand.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from induction.models import PackVersion


class SearchDocument(models.Model):
    """A searchable piece of text, where it lives, and which pack version (if any) it is from."""

    class Group(models.TextChoices):
        NATIONAL = "national", "National guide"
        PACK = "pack", "Trust induction packs"

    # Names the source: "national:roles.finding:12", "pack-version:7:section-3".
    key = models.CharField(max_length=200, unique=True)
    group = models.CharField(max_length=20, choices=Group.choices)
    label = models.CharField(max_length=200, help_text="What kind of thing this is, in words.")
    title = models.CharField(max_length=400)
    body = models.TextField()
    # National rows: the page and fragment. Pack rows: the section's fragment only; the page
    # follows from the version (see `SearchResult.url`).
    url = models.CharField(max_length=500, blank=True)
    anchor = models.CharField(max_length=100, blank=True)
    pack_version = models.ForeignKey(
        PackVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Filled in by the PostgreSQL backend; unused (always null) on SQLite. Its GIN index is
    # made by migration 0002 on PostgreSQL only, outside the model state, so that SQLite never
    # sees it (Django would otherwise rebuild it there whenever it remakes the table).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group="national", pack_version__isnull=True)
                | models.Q(group="pack", pack_version__isnull=False),
                name="search_document_pack_rows_name_their_version",
            )
        ]

    def __str__(self):
        return self.title
