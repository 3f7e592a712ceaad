"""PostgreSQL only: the unaccent extension, the qms_vi text search configuration, GIN indexes.

qms_vi copies `simple` and runs `unaccent` first on words, so "Đường" and "duong" index the
same lexeme. On SQLite this migration does nothing (the Whoosh backend is used there).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'qms_vi') THEN
            CREATE TEXT SEARCH CONFIGURATION qms_vi (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION qms_vi
                ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart
                WITH unaccent, simple;
        END IF;
    END
    $$
    """,
    "CREATE INDEX IF NOT EXISTS qms_search_entry_vector_gin "
    "ON qms_search_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS qms_search_entry_code_prefix "
    "ON qms_search_searchentry (code varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS qms_search_entry_code_prefix",
    "DROP INDEX IF EXISTS qms_search_entry_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS qms_vi",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("qms_search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
