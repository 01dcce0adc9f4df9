"""Reads of notes: who may see which (a note is as readable as what it is about)."""

from django.db.models import Q, QuerySet

from units.models import Unit
from users.access import NONE, register_read_rule
from workorders.models import WorkOrder

from .models import Note


def notes_for_display() -> QuerySet[Note]:
    return Note.objects.select_related("created_by", "thread", "unit", "work_order")


def readable_notes(access) -> Q:
    """The notes the caller may read: ``note:read`` held, and the unit (readable as the access
    layer says: through its batches too) or work order the note is about readable. Registered
    with the access layer: every caller asks ``access.visible(notes)``."""
    if not access.may_somewhere("note:read"):
        return NONE
    about = NONE
    for field, model in (("unit", Unit), ("work_order", WorkOrder)):
        condition = access.condition_through(field, model)
        if condition is not NONE:
            about = condition if about is NONE else about | condition
    return about


register_read_rule(Note, readable_notes)
