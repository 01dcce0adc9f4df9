# The new, wider indexes first: the narrow ones they replace are prefixes of them.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('relations', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='relation',
            index=models.Index(fields=['subject_type', 'subject_id', 'object_type', 'object_id'], name='relation_subject_end_idx'),
        ),
        migrations.AddIndex(
            model_name='relation',
            index=models.Index(fields=['object_type', 'object_id', 'subject_type', 'subject_id'], name='relation_object_end_idx'),
        ),
        migrations.RemoveIndex(
            model_name='relation',
            name='relation_subject_idx',
        ),
        migrations.RemoveIndex(
            model_name='relation',
            name='relation_object_idx',
        ),
    ]
