from django.db import migrations

from users.roles import grant_what_ships


class Migration(migrations.Migration):
    # Vendors arrived (issue 28): the shipped manager role runs them as it runs manufacturers.
    dependencies = [("users", "0011_links_refuse_control_characters")]

    operations = [migrations.RunPython(grant_what_ships, migrations.RunPython.noop)]
