"""Which rows are current (`SearchDocument.current`), and full-text indexes that know it.

A default search looks only at the newest version of each pack; before this, it matched and
ranked the sections of every version and dropped the earlier ones afterwards, so its cost grew
with the packs' histories. Now:

- every row says whether it is current: national rows and the rows of each pack's newest
  version are, the rows of versions a newer one has replaced are not (set here for the rows
  there are; search/indexing.py keeps it so);
- PostgreSQL has a second GIN index on `search_vector`, over current rows only, beside 0002's
  over every row (which searches that include earlier versions use);
- SQLite's FTS5 table gains a column, `scope_word`: a word only current rows hold, generated
  from `current` and read from the row like the title and body, so that a MATCH can keep to
  current rows. FTS5 tables cannot gain a column: the table and its triggers are made again,
  and filled from the rows.

Adding the fields makes Django rebuild search_searchdocument on SQLite, which would drop 0002's
triggers anyway; they go first, with the old FTS table. A later migration that makes Django
rebuild the table again must call `create_sqlite_triggers` from here.
"""

import importlib

from django.db import migrations, models
from django.db.models import Exists, OuterRef

FTS_TABLE = "search_document_fts"
TABLE = "search_searchdocument"
CURRENT_VECTOR_INDEX = "search_document_current_vector"

SQLITE_TRIGGERS = {
    "search_document_fts_insert": f"""
        CREATE TRIGGER search_document_fts_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, title, body, scope_word)
                VALUES (new.id, new.title, new.body, new.scope_word);
        END""",
    "search_document_fts_delete": f"""
        CREATE TRIGGER search_document_fts_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, scope_word)
                VALUES ('delete', old.id, old.title, old.body, old.scope_word);
        END""",
    "search_document_fts_update": f"""
        CREATE TRIGGER search_document_fts_update AFTER UPDATE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, scope_word)
                VALUES ('delete', old.id, old.title, old.body, old.scope_word);
            INSERT INTO {FTS_TABLE}(rowid, title, body, scope_word)
                VALUES (new.id, new.title, new.body, new.scope_word);
        END""",
}


def full_text_indexes_0002():
    return importlib.import_module("search.migrations.0002_full_text_indexes")


def create_sqlite_triggers(schema_editor):
    for name, sql in SQLITE_TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(sql)


def drop_sqlite_full_text_table(schema_editor):
    for name in SQLITE_TRIGGERS:  # the same names in 0002 and here
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def drop_old_full_text_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        drop_sqlite_full_text_table(schema_editor)


def restore_old_full_text_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        full_text_indexes_0002().forwards(apps, schema_editor)


def mark_earlier_versions(apps, schema_editor):
    """Rows of versions that a newer version of their pack has replaced are not current."""
    SearchDocument = apps.get_model("search", "SearchDocument")
    PackVersion = apps.get_model("induction", "PackVersion")
    newer = PackVersion.objects.filter(
        pack_id=OuterRef("pack_id"), number__gt=OuterRef("number")
    )
    replaced = PackVersion.objects.filter(Exists(newer)).values("pk")
    SearchDocument.objects.filter(pack_version__in=replaced).update(current=False)


def create_full_text_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {CURRENT_VECTOR_INDEX} ON {TABLE} USING gin (search_vector) "
            "WHERE current"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            f"title, body, scope_word, content='{TABLE}', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        create_sqlite_triggers(schema_editor)
        schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def drop_full_text_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {CURRENT_VECTOR_INDEX}")
    elif vendor == "sqlite":
        drop_sqlite_full_text_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_indexes")]

    operations = [
        migrations.RunPython(drop_old_full_text_table, restore_old_full_text_table),
        migrations.AddField(
            model_name="searchdocument",
            name="current",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(mark_earlier_versions, migrations.RunPython.noop),
        migrations.AddField(
            model_name="searchdocument",
            name="scope_word",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(current=True, then=models.Value("currentrow")),
                    default=models.Value(""),
                ),
                output_field=models.CharField(max_length=20),
            ),
        ),
        migrations.RunPython(create_full_text_indexes, drop_full_text_indexes),
    ]
