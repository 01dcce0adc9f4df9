"""Reads of notes: who may see which (a note is as readable as what it is about)."""

from django.db.models import Q, QuerySet

from relations.registry import entities
from units.models import Unit
from users.access import ALL, NONE
from workorders.models import WorkOrder

from .models import Note


def notes_for_display() -> QuerySet[Note]:
    return Note.objects.select_related("created_by", "thread", "unit", "work_order")


def readable_notes(access, notes: QuerySet[Note]) -> QuerySet[Note]:
    """Return the notes of ``notes`` the caller may read: ``note:read`` held, and the unit or
    work order the note is about readable (one filter, whatever the page)."""
    if access.unrestricted:
        return notes
    if not access.may_somewhere("note:read"):
        return notes.none()
    about = Q(pk__in=[])
    for model, field in ((Unit, "unit"), (WorkOrder, "work_order")):
        kind = entities.for_model(model)
        condition = access.condition(f"{kind.kind}:read", kind, f"{field}__")
        if condition is ALL:
            about |= Q(**{f"{field}__isnull": False})
        elif condition is not NONE:
            about |= condition
    return notes.filter(about)
