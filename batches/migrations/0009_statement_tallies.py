from django.db import migrations


def rekeep(apps, schema_editor):
    # PostgreSQL keeps the tallies of bulk writes with statement triggers (batches.tallies):
    # the triggers are made anew (SQLite's stay as they were).
    from batches import tallies

    tallies.keep(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("batches", "0008_cycle_completion_index")]

    operations = [migrations.RunPython(rekeep, migrations.RunPython.noop)]
