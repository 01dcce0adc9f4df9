"""The search's indexes, on PostgreSQL only (SQLite scans: the embedded default is a small
shop): trigram indexes on the upper-cased columns searched (``UPPER(col) LIKE '%TERM%'`` and
``UPPER(col) = UPPER(term)``, as Django's ``icontains``/``iexact`` ask), and a full-text index
on notes' words. Made through Django's own index classes, so each expression is the one the
queries compile to."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Upper

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


def _indexes(apps):
    for app, model_name, column in TRIGRAM_COLUMNS:
        model = apps.get_model(app, model_name)
        name = f"search_{model_name.lower()}_{column}_trgm"[:30]
        yield model, GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=name)
    note = apps.get_model("notes", "Note")
    words = SearchVector("label", "text", config="simple")
    yield note, GinIndex(words, name="search_note_words")


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0004_vendors"),
        ("workorders", "0005_labels"),
        ("customers", "0007_shop_settings"),
        ("batches", "0018_techtally_active_batches"),
        ("notes", "0002_floor_groups"),
        ("queues", "0004_resources"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
