"""The search's indexes, on PostgreSQL only (SQLite scans: the embedded default is a small
shop): trigram indexes on the upper-cased columns searched (``UPPER(col) LIKE '%TERM%'`` and
``UPPER(col) = UPPER(term)``, as Django's ``icontains``/``iexact`` ask), and a full-text index
on notes' words. Made through Django's own index classes, so each expression is the one the
queries compile to (the trigram ones are written out: ``UPPER(col) gin_trgm_ops``).

The GIN indexes are made with ``fastupdate = off``: a write updates the index at once instead of
queueing into a pending list, which every search would otherwise scan whole (up to 4 MB an
index: 10–30 ms a search after a bulk load, measured). Writes of these columns are rare
(a unit's serial and label are set once); searches are not."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

TRIGRAM_COLUMNS = [
    ("units", "Unit", "raw_serial_number"),
    ("units", "Unit", "serial_number"),
    ("units", "Unit", "label"),
    ("workorders", "WorkOrder", "label"),
    ("customers", "Customer", "label"),
    ("customers", "Program", "label"),
    ("customers", "Project", "label"),
    ("batches", "Batch", "label"),
    ("units", "Part", "label"),
    ("units", "Part", "part_number"),
    ("queues", "Location", "label"),
    ("notes", "Note", "label"),
]


# Whole values typed exactly (a serial as scanned, an order number): a b-tree on the
# upper-cased column answers ``=`` at once, where a trigram index reads the posting lists of
# every trigram ("000" is in most serials).
EXACT_COLUMNS = [
    ("units", "Unit", "raw_serial_number"),
    ("units", "Unit", "serial_number"),
    ("workorders", "WorkOrder", "label"),
]


def _exact_indexes(apps):
    for app, model_name, column in EXACT_COLUMNS:
        table = apps.get_model(app, model_name)._meta.db_table
        yield f"search_{model_name.lower()}_{column}_upper", table, column


def _trigram_indexes(apps):
    """(name, table, column) of each trigram index."""
    for app, model_name, column in TRIGRAM_COLUMNS:
        table = apps.get_model(app, model_name)._meta.db_table
        yield f"search_{model_name.lower()}_{column}_trgm", table, column


def _words_index():
    # Django compiles the expression, so it is the one ``SearchVector`` queries compile to.
    words = SearchVector("label", "text", config="simple")
    return GinIndex(words, name="search_note_words", fastupdate=False)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Here, not with Django's ``TrigramExtension``: that operation asks PostgreSQL's catalogue
    # when migrating backwards, on SQLite too. The extension stays when unapplied (other
    # things may use it).
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for name, table, column in _trigram_indexes(apps):
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} "
            f"USING gin (UPPER({quote(column)}) gin_trgm_ops) WITH (fastupdate = off)"
        )
    for name, table, column in _exact_indexes(apps):
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} (UPPER({quote(column)}))"
        )
    schema_editor.add_index(apps.get_model("notes", "Note"), _words_index())


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in [*_trigram_indexes(apps), *_exact_indexes(apps)]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    schema_editor.remove_index(apps.get_model("notes", "Note"), _words_index())


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0004_vendors"),
        ("workorders", "0005_labels"),
        ("customers", "0007_shop_settings"),
        ("batches", "0018_techtally_active_batches"),
        ("notes", "0002_floor_groups"),
        ("queues", "0004_resources"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
