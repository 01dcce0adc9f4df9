from django.db import migrations


def rekeep(apps, schema_editor):
    # PostgreSQL keeps the tallies of bulk writes with statement triggers (batches.tallies):
    # the triggers are made anew (SQLite's stay as they were).
    from batches import tallies

    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for statement in tallies.drop_triggers_sql(vendor) + tallies.create_triggers_sql(vendor):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("batches", "0008_cycle_completion_index")]

    operations = [migrations.RunPython(rekeep, migrations.RunPython.noop)]
