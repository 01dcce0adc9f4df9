"""Ship the floor's two roles as groups: "Production manager" and "Technician".

Technicians see the floor (queues, batches, cycles and their work orders) and move cycles
through their statuses. Production managers do everything on the floor — customers and their
hierarchy, locations, queues, workflows, work orders, batches, cycles, relations — and see users
(to assign technicians), but do not administer users, groups or tokens.
"""

from django.db import migrations

FLOOR_APPS = ["customers", "queues", "workorders", "batches", "relations"]
TECHNICIAN = [
    "queues.view_location",
    "queues.view_queue",
    "workorders.view_workorder",
    "batches.view_batch",
    "batches.view_cycle",
    "batches.change_cycle",
    "relations.view_relation",
]


def create_roles(apps, schema_editor):
    # Permissions are otherwise made after the last migration: make them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Put back what was there: called with the live registry (tests do), ``None`` would
        # hide every app from later post_migrate handlers (content types, permissions).
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")

    def permissions(codenames):
        return [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (name.split(".") for name in codenames)
        ]

    technician, _ = group_model.objects.get_or_create(name="Technician")
    technician.permissions.set(permissions(TECHNICIAN))
    manager, _ = group_model.objects.get_or_create(name="Production manager")
    floor = permission_model.objects.filter(content_type__app_label__in=FLOOR_APPS)
    manager.permissions.set([*floor, *permissions(["users.view_user"])])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Technician", "Production manager"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("users", "0002_user_history"),
        ("customers", "0004_input_filters_in_customers"),
        ("queues", "0003_input_filters_in_customers"),
        ("workorders", "0003_input_filters_in_customers"),
        ("relations", "0001_initial"),
        ("batches", "0003_status_validators"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
