"""Writes to locations and production queues."""

from dataclasses import dataclass, field

from django.db import transaction

from customers.input_filters import normalize_input_filter
from niagara.models import replace_fields
from relations.models import RelationType
from relations.services import delete_entity, relation_remove, save_entity

from .models import Location, Queue


@dataclass(kw_only=True)
class LocationFields:
    label: str
    location_type: str
    address: dict
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def location_save(location: Location, *, actor) -> Location:
    """Validate and store a location (its address against the country list)."""
    location.full_clean()
    location.input_filter = normalize_input_filter(location.input_filter)
    return save_entity(location, actor=actor)


def location_create(*, actor, fields: LocationFields) -> Location:
    return location_save(replace_fields(Location(), fields), actor=actor)


def location_update(location: Location, /, *, actor, fields: LocationFields) -> Location:
    """Replace a location's fields (PUT)."""
    return location_save(replace_fields(location, fields), actor=actor)


@transaction.atomic
def location_delete(location: Location, /, *, actor) -> None:
    """Delete a location no queue uses (one in use is Locked)."""
    delete_entity(location, actor=actor)


@dataclass(kw_only=True)
class QueueFields:
    label: str
    priority: float
    location: Location


@transaction.atomic
def queue_save(queue: Queue, *, actor) -> Queue:
    """Validate and store a production queue."""
    queue.full_clean()
    return save_entity(queue, actor=actor)


def queue_create(*, actor, fields: QueueFields) -> Queue:
    return queue_save(replace_fields(Queue(), fields), actor=actor)


def queue_update(queue: Queue, /, *, actor, fields: QueueFields) -> Queue:
    """Replace a queue's fields (PUT); moving it to another location is allowed."""
    return queue_save(replace_fields(queue, fields), actor=actor)


@transaction.atomic
def queue_delete(queue: Queue, /, *, actor) -> None:
    """Delete a queue that holds no batches (one that does is Locked)."""
    delete_entity(queue, actor=actor)


@transaction.atomic
def location_tech_remove(location: Location, /, *, actor, tech) -> None:
    """Detach a technician from a location: its ``tech`` relation with it goes, whichever
    way it was made (``queues.selectors.location_techs``)."""
    relation_remove(subject=tech, obj=location, relation=RelationType.TECH)
    relation_remove(subject=location, obj=tech, relation=RelationType.TECH)
