"""Near-duplicate search over every comparable case: PostgreSQL's pg_trgm and a GIN trigram
index on the claims/abstract text (SQLite, used by `make run`, compares without an index)."""
from django.db import migrations

INDEX = "prescreen_case_claims_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON prescreen_preexamcase "
        "USING gin (claims_abstract_text gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")  # the extension may serve others: kept


class Migration(migrations.Migration):

    dependencies = [
        ("prescreen", "0004_case_queue_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
