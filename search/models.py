"""The search index: one row per thing a result can link to.

A row is a piece of the national guide (a role, a responsibility, a finding, a glossary
term…) or one section of a published pack version. Its text is plain (no markup) and is what
the full-text index covers: on PostgreSQL the stored `search_vector` with its GIN indexes, on
SQLite an FTS5 table that triggers keep in step with this one (search/migrations/0003).
Rows are written only through search/backends.py, and rebuilt from their sources whenever
needed (search/indexing.py), so they are never edited by hand.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, Value, When

from induction.models import PackVersion

# The word SQLite's full-text index holds for a current row (see `SearchDocument.scope_word`).
CURRENT_WORD = "currentrow"


class SearchDocument(models.Model):
    """A searchable piece of text, where it lives, which pack version (if any) it is from, and
    whether that version is still its pack's newest."""

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
    # Filled in by the PostgreSQL backend; unused (always null) on SQLite. Its GIN indexes (one
    # over every row, one over current rows) are made by migrations 0002 and 0003 on
    # PostgreSQL only, outside the model state, so that SQLite never sees them (Django would
    # otherwise rebuild them there whenever it remakes the table).
    search_vector = SearchVectorField(null=True, editable=False)
    # False only for the sections of a pack version that a newer version of its pack has
    # replaced: a default search looks at current rows alone, so that its cost does not grow
    # with a pack's history. Set when a version is indexed (search/indexing.py), which marks
    # the versions before it not current in the same transaction.
    current = models.BooleanField(default=True)
    # `current` as SQLite's full-text index reads it (a column of its FTS5 table): a word that
    # no text contains, so that matching it finds the current rows alone, and quickly ("1" or
    # "current" would also be found in thousands of sections). Unused on PostgreSQL, which
    # filters on `current` itself.
    scope_word = models.GeneratedField(
        expression=Case(When(current=True, then=Value(CURRENT_WORD)), default=Value("")),
        output_field=models.CharField(max_length=20),
        db_persist=True,
    )

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
