from django.db import migrations


def rekeep(apps, schema_editor):
    # PostgreSQL's statement triggers join the rows a statement wrote to the floor's tables by
    # their keys, never by hashing whole tables (batches.tallies._pg_function): made anew.
    from batches import tallies

    tallies.keep(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("batches", "0015_cycle_lookups_by_composite_indexes")]

    operations = [migrations.RunPython(rekeep, migrations.RunPython.noop)]
