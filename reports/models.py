from django.conf import settings
from django.db import models

from niagara.models import new_public_id


class Report(models.Model):
    """A report asked for (``POST /reports``): what it shows, kept so that its CSV can be
    downloaded later — read again then, with its maker's access at that time."""

    public_id = models.CharField(max_length=64, unique=True, default=new_public_id, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    base_entity = models.CharField(max_length=8)
    definition = models.JSONField(help_text="core_fields and custom_fields, as asked")
    created = models.DateTimeField(auto_now_add=True)
    # A large report's CSV, built by a task (``tasks.build_report_file``) and kept in the
    # default storage; a small one's is streamed at each download.
    file = models.FileField(upload_to="reports/", blank=True)
    built = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.base_entity} report {self.public_id}"
