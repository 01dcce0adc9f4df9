"""The floor's groups see notes in the admin: technicians read them (they write theirs at the
station), production managers read them and close the issues."""

from django.db import migrations

GRANTS = {
    "Technician": ["view_note"],
    "Production manager": ["view_note", "change_note", "delete_note"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Put back what was there: called with the live registry (tests do), ``None`` would
        # hide every app from later post_migrate handlers (content types, permissions).
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    permission_model = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="notes", codename__in=GRANTS[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial"), ("batches", "0005_cycle_unit")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
