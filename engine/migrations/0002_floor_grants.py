"""The shipped floor roles run devices and write notes: technicians gain ``context:create``
(taking a device starts its run) and ``note:create``; production managers every ``context:``
and ``note:`` permission. Grants the roles already have are kept as they are."""

from django.db import migrations

from users.roles import GROUP_NAMES, SHIPPED_PERMISSIONS

NEW_KINDS = ("context", "note")


def grant(apps, schema_editor):
    for floor_role, label in GROUP_NAMES.items():
        role = apps.get_model("users", "Role").objects.filter(label=label).first()
        if role is None:
            continue
        held = {item["permission"] for item in role.grants}
        role.grants = role.grants + [
            {"permission": name, "label": name, "match_location": False}
            for name in SHIPPED_PERMISSIONS[floor_role]
            if name.split(":", 1)[0] in NEW_KINDS and name not in held
        ]
        role.save(update_fields=["grants"])


def revoke(apps, schema_editor):
    for label in GROUP_NAMES.values():
        role = apps.get_model("users", "Role").objects.filter(label=label).first()
        if role is not None:
            kept = ("context:read", "context:step")
            role.grants = [
                item
                for item in role.grants
                if item["permission"].split(":", 1)[0] not in NEW_KINDS
                or item["permission"] in kept
            ]
            role.save(update_fields=["grants"])


class Migration(migrations.Migration):
    dependencies = [("engine", "0001_initial"), ("units", "0002_manager_grants")]

    operations = [migrations.RunPython(grant, revoke)]
