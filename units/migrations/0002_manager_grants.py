"""The shipped "Production manager" role runs the catalogue and the devices too: it gains every
manufacturer, part and unit permission, and what reading a unit requires (grants it already has
are kept as they are)."""

from django.db import migrations

from users.roles import GROUP_NAMES, SHIPPED_PERMISSIONS, FloorRole

NEW_KINDS = ("manufacturer", "part", "unit", "sub-resource", "vendor")


def grant(apps, schema_editor):
    role = apps.get_model("users", "Role").objects.filter(
        label=GROUP_NAMES[FloorRole.MANAGER]
    ).first()
    if role is None:
        return
    held = {item["permission"] for item in role.grants}
    role.grants = role.grants + [
        {"permission": name, "label": name, "match_location": False}
        for name in SHIPPED_PERMISSIONS[FloorRole.MANAGER]
        if name.split(":", 1)[0] in NEW_KINDS and name not in held
    ]
    role.save(update_fields=["grants"])


def revoke(apps, schema_editor):
    role = apps.get_model("users", "Role").objects.filter(
        label=GROUP_NAMES[FloorRole.MANAGER]
    ).first()
    if role is not None:
        role.grants = [
            item for item in role.grants if item["permission"].split(":", 1)[0] not in NEW_KINDS
        ]
        role.save(update_fields=["grants"])


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial"), ("users", "0006_user_links_by_pattern")]

    operations = [migrations.RunPython(grant, revoke)]
