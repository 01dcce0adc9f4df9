from django.db import migrations


def create_cache_table(apps, schema_editor):
    # This step made the database cache's table for throttle counters; the cache is now the
    # process's memory or Redis (niagara/settings.py), and 0003 drops the table where it was made.
    return


class Migration(migrations.Migration):
    dependencies = [("niagara", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
