"""Notes on units and work orders: remarks, and issues a technician raises for help."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from niagara.models import Entity
from relations.registry import entities
from units.models import Unit
from workorders.models import WorkOrder

MAX_TEXT = 1000


class Note(Entity):
    """A note about one unit or one work order; ``issue`` marks a call for help, ``closed``
    says it was dealt with. Replies name the note that started their thread."""

    label = models.CharField(max_length=200)
    text = models.TextField(max_length=MAX_TEXT)
    thread = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies"
    )
    issue = models.BooleanField(default=False, help_text="The note raises an issue.")
    closed = models.BooleanField(default=False, help_text="The issue was dealt with.")
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="notes")
    work_order = models.ForeignKey(
        WorkOrder, models.CASCADE, null=True, blank=True, related_name="notes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="notes"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, work_order__isnull=True)
                | models.Q(unit__isnull=True, work_order__isnull=False),
                name="note_about_one_entity",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "id"], name="note_unit_idx"),
            models.Index(fields=["work_order", "id"], name="note_work_order_idx"),
        ]

    def __str__(self):
        return self.label

    @property
    def subject(self):
        return self.unit if self.unit_id is not None else self.work_order

    def clean(self):
        """A reply is in a thread about the same entity, started by a note of its own."""
        if self.text is not None and not self.text.strip():
            raise ValidationError({"text": ValidationError("should not be blank", "minLength")})
        thread = self.thread
        if thread is None:
            return
        if thread.thread_id is not None:
            thread_start = "should name the note that started the thread"
            raise ValidationError({"thread_id": ValidationError(thread_start, "thread")})
        if (thread.unit_id, thread.work_order_id) != (self.unit_id, self.work_order_id):
            other = "should name a note about the same entity"
            raise ValidationError({"thread_id": ValidationError(other, "thread")})


entities.register(Note, code="NOTE", collection="notes", kind="note")
