from django.db import migrations

from users.roles import GROUP_NAMES, SHIPPED_PERMISSIONS, FloorRole


def grant_what_ships(apps, schema_editor):
    # Files arrived (issue 28): the shipped manager role uploads, reads and attaches them.
    # A role made before gains the permissions it lacks; what a shop changed stays.
    role = apps.get_model("users", "Role").objects.filter(
        label=GROUP_NAMES[FloorRole.MANAGER]
    ).first()
    if role is None:
        return
    held = {grant["permission"] for grant in role.grants}
    missing = [name for name in SHIPPED_PERMISSIONS[FloorRole.MANAGER] if name not in held]
    role.grants = [
        *role.grants,
        *({"permission": name, "label": name, "match_location": False} for name in missing),
    ]
    role.save(update_fields=["grants"])


class Migration(migrations.Migration):
    dependencies = [("users", "0013_managers_keep_resources")]

    operations = [migrations.RunPython(grant_what_ships, migrations.RunPython.noop)]
