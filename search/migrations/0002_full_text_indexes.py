"""The full-text index of each database, outside the model state (see search/backends.py).

PostgreSQL: a GIN index on the stored `search_vector`.

SQLite: an FTS5 table over the rows' title and body (external content: it stores only the
index, reading the text from search_searchdocument), kept in step by triggers on every insert,
update and delete, so that rows deleted by a cascade leave nothing behind. A later migration
that makes Django rebuild search_searchdocument on SQLite (changing a column's type, for
example) drops these triggers with the old table: it must make them again. 0003 replaces the
FTS table and its triggers (adding a column): use its `create_sqlite_triggers`.
"""

from django.db import migrations

FTS_TABLE = "search_document_fts"
TABLE = "search_searchdocument"

SQLITE_TRIGGERS = {
    "search_document_fts_insert": f"""
        CREATE TRIGGER search_document_fts_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
    "search_document_fts_delete": f"""
        CREATE TRIGGER search_document_fts_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
        END""",
    "search_document_fts_update": f"""
        CREATE TRIGGER search_document_fts_update AFTER UPDATE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
                VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
}


def create_sqlite_triggers(schema_editor):
    for name, sql in SQLITE_TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX search_document_vector ON {TABLE} USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            f"title, body, content='{TABLE}', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        create_sqlite_triggers(schema_editor)
        # Rows written before this migration (none, unless it is run again after a rollback).
        schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector")
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents")]

    operations = [migrations.RunPython(forwards, backwards)]
