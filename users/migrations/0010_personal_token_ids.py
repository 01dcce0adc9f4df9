"""Personal tokens get a public id (``/me/tokens/{token_id}``) and a label: the id is added
empty, each existing token given its own, then made unique."""

from django.db import migrations, models

import niagara.models


def give_ids(apps, schema_editor):
    PersonalToken = apps.get_model("users", "PersonalToken")
    for token in PersonalToken.objects.filter(public_id__isnull=True).only("pk"):
        PersonalToken.objects.filter(pk=token.pk).update(public_id=niagara.models.new_public_id())


class Migration(migrations.Migration):
    dependencies = [("users", "0009_personal_tokens")]

    operations = [
        migrations.AddField(
            model_name="personaltoken",
            name="label",
            field=models.CharField(
                blank=True, help_text="What it is for (a script, an integration).", max_length=100
            ),
        ),
        migrations.AddField(
            model_name="personaltoken",
            name="public_id",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personaltoken",
            name="public_id",
            field=models.CharField(
                default=niagara.models.new_public_id,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="public id",
            ),
        ),
    ]
