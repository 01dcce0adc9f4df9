from django.db import migrations

# PostgreSQL: the admin's batch search (``label`` contains a word, as Django writes it:
# ``UPPER(label::text) LIKE UPPER('%word%')``) reads a trigram index instead of every label.
# SQLite (small floors) scans.
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS batch_label_search_idx ON batches_batch "
    "USING gin (UPPER(label::text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS batch_label_search_idx"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("batches", "0009_statement_tallies")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
