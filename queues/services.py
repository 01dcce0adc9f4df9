"""Writes to locations (and, later, production queues)."""

from django.db import transaction

from niagara.input_filters import normalize_input_filter
from relations.services import delete_entity, save_entity

from .models import Location, Queue


@transaction.atomic
def location_save(location: Location, *, actor) -> Location:
    """Validate and store a location (its address against the country list)."""
    location.full_clean()
    location.input_filter = normalize_input_filter(location.input_filter)
    return save_entity(location, actor=actor)


def location_create(
    *, actor, label: str, location_type: str, address: dict, input_filter=None
) -> Location:
    location = Location(
        label=label, location_type=location_type, address=address, input_filter=input_filter or []
    )
    return location_save(location, actor=actor)


def location_update(
    *, actor, location: Location, label: str, location_type: str, address: dict, input_filter=None
) -> Location:
    """Replace a location's fields (PUT)."""
    location.label, location.location_type, location.address = label, location_type, address
    location.input_filter = input_filter or []
    return location_save(location, actor=actor)


@transaction.atomic
def location_delete(*, actor, location: Location) -> None:
    """Delete a location no queue uses (one in use is Locked)."""
    delete_entity(location, actor=actor)


@transaction.atomic
def queue_save(queue, *, actor):
    """Validate and store a production queue."""
    queue.full_clean()
    return save_entity(queue, actor=actor)


def queue_create(*, actor, label: str, priority: float, location: Location):
    return queue_save(Queue(label=label, priority=priority, location=location), actor=actor)


def queue_update(*, actor, queue, label: str, priority: float, location: Location):
    """Replace a queue's fields (PUT); moving it to another location is allowed."""
    queue.label, queue.priority, queue.location = label, priority, location
    return queue_save(queue, actor=actor)


@transaction.atomic
def queue_delete(*, actor, queue) -> None:
    """Delete a queue that holds no batches (one that does is Locked)."""
    delete_entity(queue, actor=actor)
