"""Writes to locations, their resources and production queues."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from customers.input_filters import normalize_input_filter
from niagara.errors import Locked
from niagara.models import replace_fields
from relations.models import RelationType
from relations.services import delete_entity, relation_remove, save_entity

from .models import Location, Queue, Resource, SubResource


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


@dataclass(kw_only=True)
class ResourceFields:
    label: str
    location: Location
    resource_type: str
    meta: dict = field(default_factory=dict)
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def resource_save(resource: Resource, *, actor) -> Resource:
    resource.full_clean()
    resource.input_filter = normalize_input_filter(resource.input_filter)
    return save_entity(resource, actor=actor)


def resource_create(*, actor, fields: ResourceFields) -> Resource:
    return resource_save(replace_fields(Resource(), fields), actor=actor)


def resource_update(resource: Resource, /, *, actor, fields: ResourceFields) -> Resource:
    """Replace a resource's fields (PUT). One with sub-resources stays at its location (its
    slots are there): moving it is Locked."""
    if resource.sub_resources.exclude(location=fields.location).exists():
        raise Locked("A resource with sub-resources stays at their location")
    return resource_save(replace_fields(resource, fields), actor=actor)


@transaction.atomic
def resource_delete(resource: Resource, /, *, actor) -> None:
    """Delete a resource without sub-resources (one with them is Locked)."""
    delete_entity(resource, actor=actor)


@dataclass(kw_only=True)
class SubResourceFields:
    label: str
    location: Location
    resource: Resource
    resource_type: str
    meta: dict = field(default_factory=dict)
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def sub_resource_save(sub_resource: SubResource, *, actor) -> SubResource:
    """Validate and store a sub-resource: a slot of its resource, at the resource's location."""
    if sub_resource.location_id != sub_resource.resource.location_id:
        raise ValidationError(
            {"location": ValidationError("should be the resource's location", code="const")}
        )
    sub_resource.full_clean()
    sub_resource.input_filter = normalize_input_filter(sub_resource.input_filter)
    return save_entity(sub_resource, actor=actor)


def sub_resource_create(*, actor, fields: SubResourceFields) -> SubResource:
    return sub_resource_save(replace_fields(SubResource(), fields), actor=actor)


def sub_resource_update(
    sub_resource: SubResource, /, *, actor, fields: SubResourceFields
) -> SubResource:
    return sub_resource_save(replace_fields(sub_resource, fields), actor=actor)


@transaction.atomic
def sub_resource_delete(sub_resource: SubResource, /, *, actor) -> None:
    delete_entity(sub_resource, actor=actor)
