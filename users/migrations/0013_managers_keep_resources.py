from django.db import migrations

from users.roles import grant_what_ships


class Migration(migrations.Migration):
    # Resources and sub-resources arrived (issue 28): the shipped manager role runs them.
    dependencies = [("users", "0012_managers_keep_vendors")]

    operations = [migrations.RunPython(grant_what_ships, migrations.RunPython.noop)]
