from django.db import migrations


class Migration(migrations.Migration):
    """Throttle counters left the database (issue 24: a counted request cost six queries)."""

    dependencies = [("niagara", "0002_cache_table")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS niagara_cache", migrations.RunSQL.noop)]
