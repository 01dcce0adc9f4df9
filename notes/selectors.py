"""Reads of notes: who may see which (a note is as readable as what it is about)."""

from django.db.models import Q, QuerySet

from batches.models import Batch, Cycle
from relations.registry import entities
from units.models import Unit
from users.access import ALL, NONE
from workorders.models import WorkOrder

from .models import Note


def notes_for_display() -> QuerySet[Note]:
    return Note.objects.select_related("created_by", "thread", "unit", "work_order")


def readable_units(access) -> QuerySet[Unit]:
    """The units the caller may read, and the units in the cycles of the batches they may
    read (a technician reads the devices of their batches, whoever scanned them)."""
    if access.unrestricted:
        return Unit.objects.all()
    batches = access.visible(Batch.objects.all()).values("pk")
    in_batches = Cycle.objects.filter(batch__in=batches, unit__isnull=False).values("unit_id")
    return Unit.objects.filter(
        Q(pk__in=access.visible(Unit.objects.all()).values("pk")) | Q(pk__in=in_batches)
    )


def readable_notes(access, notes: QuerySet[Note]) -> QuerySet[Note]:
    """Return the notes of ``notes`` the caller may read: ``note:read`` held, and the unit
    (``readable_units``) or work order the note is about readable (one filter, whatever the
    page)."""
    if access.unrestricted:
        return notes
    if not access.may_somewhere("note:read"):
        return notes.none()
    about = Q(unit__in=readable_units(access).values("pk"))
    kind = entities.for_model(WorkOrder)
    work_orders = access.condition(f"{kind.kind}:read", kind, "work_order__")
    if work_orders is ALL:
        about |= Q(work_order__isnull=False)
    elif work_orders is not NONE:
        about |= work_orders
    return notes.filter(about)
