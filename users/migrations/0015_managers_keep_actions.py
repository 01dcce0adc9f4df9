from django.db import migrations

from users.roles import grant_what_ships


class Migration(migrations.Migration):
    # Actions arrived (issue 29): the shipped manager role sets them on what it runs.
    dependencies = [("users", "0014_managers_keep_files")]

    operations = [migrations.RunPython(grant_what_ships, migrations.RunPython.noop)]
