from django.db import migrations

from users.roles import grant_what_ships


class Migration(migrations.Migration):
    # Files arrived (issue 28): the shipped manager role uploads, reads and attaches them.
    dependencies = [("users", "0013_managers_keep_resources")]

    operations = [migrations.RunPython(grant_what_ships, migrations.RunPython.noop)]
