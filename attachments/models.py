"""Files: the PDF instructions a step shows, photos of damage — attached to entities by
``file`` relations ("Attachment For")."""

from django.conf import settings
from django.db import models

from niagara.models import Entity
from relations.registry import entities

MAX_SIZE = 10 * 1024 * 1024  # 10 MB, as the docs say
PDF = "application/pdf"
CONTENT_TYPES = [(PDF, "PDF")]


def stored_name(attachment: "Attachment", filename: str = "") -> str:
    """Where a file's bytes live in the storage: its public id, never the client's name."""
    return f"attachments/{attachment.public_id}.pdf"


class Attachment(Entity):
    """A file announced by its name, type and size, then uploaded once: its bytes never change
    (``file`` is empty until they arrive)."""

    label = models.CharField(max_length=255, help_text="The file's name")
    content_type = models.CharField(max_length=100, choices=CONTENT_TYPES, default=PDF)
    content_length = models.PositiveIntegerField(help_text="The file's size in bytes")
    file = models.FileField(upload_to=stored_name, max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "file"

    def __str__(self):
        return self.label

    @property
    def uploaded(self) -> bool:
        return bool(self.file)


entities.register(
    Attachment, code="FILE", collection="attachments", kind="file", id_kwarg="attachment_id"
)
