from django.db import migrations


def rekeep(apps, schema_editor):
    # The technicians of a batch are looked up by the batch's end of the relations
    # (batches.tallies._technicians_of): the triggers are made anew.
    from batches import tallies

    tallies.keep(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("batches", "0011_batch_labels_index")]

    operations = [migrations.RunPython(rekeep, migrations.RunPython.noop)]
