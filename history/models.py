from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from niagara.models import new_public_id


class Diff(models.Model):
    """One changed property of one entity in one change: what it was, what it became, who, when.

    Written when the change's history record is (django-simple-history keeps the full
    snapshots); served by ``GET /{collection}/{id}/diff``.
    """

    public_id = models.CharField(max_length=64, unique=True, default=new_public_id, editable=False)
    entity_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    entity_id = models.BigIntegerField()
    property = models.CharField(max_length=100)
    # null ("no value") and "" (an empty string) are different values in a diff.
    old_value = models.TextField(null=True, blank=True)  # noqa: DJ001
    new_value = models.TextField(null=True, blank=True)  # noqa: DJ001
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The person an integration acted for (``Requestor-ID``); ``by_user`` is the caller.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["entity_type", "entity_id", "-id"], name="diff_entity_idx")]

    def __str__(self):
        return f"{self.property}: {self.old_value!r} → {self.new_value!r}"
