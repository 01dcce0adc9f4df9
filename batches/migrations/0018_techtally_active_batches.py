from django.db import migrations, models


def unkeep(apps, schema_editor):
    # SQLite remakes a table to add a column, and refuses to while triggers name its columns:
    # the tallies' triggers are dropped first, made anew after.
    from batches import tallies

    with schema_editor.connection.cursor() as cursor:
        for statement in tallies.drop_triggers_sql(schema_editor.connection.vendor):
            cursor.execute(statement)


def rekeep(apps, schema_editor):
    # The triggers now keep each technician's batches with an open cycle; the column starts
    # from a recount of the rows.
    from batches import tallies

    tallies.keep(apps, schema_editor, count=True)


class Migration(migrations.Migration):
    dependencies = [("batches", "0017_batch_keys_by_composite_indexes")]

    operations = [
        migrations.RunPython(unkeep, rekeep),
        migrations.AddField(
            model_name="techtally",
            name="active_batches",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(rekeep, unkeep),
    ]
