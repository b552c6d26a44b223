"""One interface to the full-text index, with a backend per database.

- `index(documents, replacing=…)` stores documents (a document replaces the stored one with its
  key; `replacing` names further rows to drop, such as national items since deleted);
- `remove(rows)` drops stored documents;
- `query(terms, scope, limit=…)` returns the best matches among the current rows of `scope` (a
  queryset of SearchDocument: what the user may read), or among all its rows with
  `include_earlier_versions`, ranked, each with its title and a snippet highlighted and made
  HTML-safe.

PostgreSQL keeps a tsvector per row (`SearchDocument.search_vector`), written here whenever
rows are written, under two GIN indexes: one over every row, one over current rows only.
SQLite keeps an FTS5 table that triggers on the rows keep in step, with a third column that
holds a word for current rows (`SearchDocument.scope_word`). Neither computes a vector per
query, and neither ranks the rows of earlier versions unless asked to, so the cost of a
default search hardly grows with the packs' histories (migrations 0002 and 0003 make the
indexes). `backend()` picks the one for the database in use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Replace
from django.utils.safestring import SafeString

from .documents import Document
from .models import CURRENT_WORD, SearchDocument
from .text import MARK_END, MARK_START, PARSER_STAND_INS, Terms, highlighted

# The FTS5 table of migration 0003 (SQLite only).
FTS_TABLE = "search_document_fts"
# PostgreSQL's text search configuration: English stemming and stop words.
POSTGRES_CONFIG = "english"
# How much a match in the title counts against one in the body.
TITLE_WEIGHT = 10.0
SNIPPET_WORDS = 32


@dataclass(frozen=True)
class Hit:
    """One match: the stored row's id, its rank (higher is better, comparable only within one
    query) and its title and snippet with the matched words in `<mark>`."""

    document_id: int
    rank: float
    title_html: SafeString
    snippet_html: SafeString


class SearchBackend:
    """Stores documents in SearchDocument; subclasses add the database's full-text index."""

    def index(self, documents: Iterable[Document], *, replacing: Q | None = None) -> int:
        """Store `documents`, each replacing the stored row with its key, and drop the rows
        `replacing` selects. One transaction; returns how many documents were stored."""
        rows = [
            SearchDocument(
                key=document.key,
                group=document.group,
                label=document.label[:200],
                title=document.title[:400],
                body=document.body,
                url=document.url,
                anchor=document.anchor,
                pack_version_id=document.pack_version_id,
                current=document.current,
            )
            for document in documents
        ]
        stale = Q(key__in=[row.key for row in rows])
        if replacing is not None:
            stale |= replacing
        with transaction.atomic():
            SearchDocument.objects.filter(stale).delete()
            created = SearchDocument.objects.bulk_create(rows, batch_size=500)
            self.update_index(SearchDocument.objects.filter(key__in=[row.key for row in created]))
        return len(created)

    def remove(self, rows: QuerySet) -> None:
        """Drop stored documents (and so their index entries)."""
        rows.delete()

    def update_index(self, rows: QuerySet) -> None:
        """Bring the full-text index up to date with freshly written rows."""

    def query(
        self, terms: Terms, scope: QuerySet, *, limit: int, include_earlier_versions: bool = False
    ) -> list[Hit]:
        raise NotImplementedError


def _as_plain_text(field: str):
    """The column with `<`, `>` and `&` swapped for stand-ins (see text.PARSER_STAND_INS), so
    PostgreSQL's parser reads text that looks like markup as words."""
    expression = F(field)
    for raw, stand_in in PARSER_STAND_INS.items():
        expression = Replace(expression, Value(raw), Value(stand_in), output_field=TextField())
    return expression


class PostgresBackend(SearchBackend):
    """Stored, weighted tsvectors (title A, body B), ranked by ts_rank, ts_headline snippets."""

    def update_index(self, rows: QuerySet) -> None:
        rows.update(
            search_vector=SearchVector(_as_plain_text("title"), weight="A", config=POSTGRES_CONFIG)
            + SearchVector(_as_plain_text("body"), weight="B", config=POSTGRES_CONFIG)
        )

    def query(
        self, terms: Terms, scope: QuerySet, *, limit: int, include_earlier_versions: bool = False
    ) -> list[Hit]:
        # The words are plain already; plainto_tsquery ANDs them and drops stop words.
        search_query = SearchQuery(str(terms), search_type="plain", config=POSTGRES_CONFIG)
        marks = {"config": POSTGRES_CONFIG, "start_sel": MARK_START, "stop_sel": MARK_END}
        if not include_earlier_versions:
            # Matched through the GIN index over current rows only (migration 0003).
            scope = scope.filter(current=True)
        rows = (
            scope.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                marked_title=SearchHeadline(
                    _as_plain_text("title"), search_query, highlight_all=True, **marks
                ),
                snippet=SearchHeadline(
                    _as_plain_text("body"),
                    search_query,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
            )
            .order_by("-rank", "pk")
            .values_list("pk", "rank", "marked_title", "snippet")[:limit]
        )
        return [
            Hit(pk, float(rank), highlighted(title), highlighted(snippet))
            for pk, rank, title, snippet in rows
        ]


class SqliteBackend(SearchBackend):
    """FTS5 (porter stemming over unicode61), ranked by bm25, snippet() and highlight()."""

    def query(
        self, terms: Terms, scope: QuerySet, *, limit: int, include_earlier_versions: bool = False
    ) -> list[Hit]:
        # Each word quoted, so FTS5 reads it as a string, never as an operator (AND, NEAR…):
        # the words hold only letters and digits, so they cannot contain a quote. They are
        # looked for in the title and body only; the word of the `scope_word` column leaves
        # the rows of earlier versions out before any row is ranked.
        words = " ".join(f'"{word}"' for word in terms.words)
        match = f"{{title body}} : ({words})"
        if not include_earlier_versions:
            match += f' AND scope_word : "{CURRENT_WORD}"'
        scope_sql, scope_params = scope.order_by().values("pk").query.sql_with_params()
        # The `scope_word` column weighs nothing in the rank.
        rank = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0, 0.0)"
        # Each match is looked up in the scope by its id (SQLite folds the scope into a
        # correlated subquery), rather than the scope listed whole: its cost follows the
        # matches, not the rows the user may read.
        sql = (
            f"SELECT {FTS_TABLE}.rowid, {rank}, highlight({FTS_TABLE}, 0, %s, %s), "
            f"snippet({FTS_TABLE}, 1, %s, %s, '…', {SNIPPET_WORDS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND EXISTS (SELECT 1 FROM ({scope_sql}) AS scope WHERE scope.pk = {FTS_TABLE}.rowid) "
            f"ORDER BY {rank}, {FTS_TABLE}.rowid LIMIT %s"
        )
        params = [MARK_START, MARK_END, MARK_START, MARK_END, match, *scope_params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        # bm25 is lower for better matches; turned round so that higher is better everywhere.
        return [
            Hit(pk, -float(rank), highlighted(title), highlighted(snippet))
            for pk, rank, title, snippet in rows
        ]


BACKENDS = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}


def backend() -> SearchBackend:
    """The backend for the default database."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports PostgreSQL and SQLite, not {connection.vendor}."
        ) from None
