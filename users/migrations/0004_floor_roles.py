"""The floor's two groups become Niagara roles: "Production manager" and "Technician", held
everywhere by the members of the groups of the same name (one permission system)."""

import uuid

from django.db import migrations

from users.roles import GROUP_NAMES, SHIPPED_PERMISSIONS


def make_roles(apps, schema_editor):
    role_model = apps.get_model("users", "Role")
    holding_model = apps.get_model("users", "RoleHolding")
    group_model = apps.get_model("auth", "Group")
    for floor_role, name in GROUP_NAMES.items():
        grants = [
            {"permission": permission, "label": permission, "match_location": False}
            for permission in SHIPPED_PERMISSIONS[floor_role]
        ]
        role, _ = role_model.objects.get_or_create(
            label=name,
            defaults={
                "public_id": str(uuid.uuid4()),
                "description": f"The {name.lower()} of the floor (shipped with Niagara).",
                "grants": grants,
            },
        )
        group = group_model.objects.filter(name=name).first()
        for user in group.user_set.all() if group else ():
            holding_model.objects.get_or_create(role=role, user=user, entity_type=None)


def drop_roles(apps, schema_editor):
    apps.get_model("users", "Role").objects.filter(label__in=GROUP_NAMES.values()).delete()


class Migration(migrations.Migration):
    dependencies = [("users", "0003_roles"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(make_roles, drop_roles)]
