"""Reads of locations and queues."""

from django.db.models import Q, QuerySet

from relations.models import Direction, RelationType
from relations.selectors import related_ids
from users.models import User

from .models import Location, Queue, Resource, SubResource


def queues_for_display(viewer=None) -> QuerySet[Queue]:
    """Queues with their location and every counter the other apps register (``counters``),
    counting what ``viewer`` (the caller's access) may read."""
    return Queue.objects.select_related("location").with_counters(viewer)


def location_techs(location: Location) -> QuerySet[User]:
    """The technicians of a location: users with a ``tech`` relation with it, either way
    ("USER tech LOC", or "LOC tech USER" as ``POST /locations/{id}/relations`` makes it; a
    grant that must match the location accepts both)."""
    ends = [
        related_ids(location, relation=RelationType.TECH, model=User, direction=direction)
        for direction in (Direction.INWARD, Direction.OUTWARD)
    ]
    return User.objects.filter(Q(pk__in=ends[0]) | Q(pk__in=ends[1]))


def resources_for_display() -> QuerySet[Resource]:
    return Resource.objects.select_related("location")


def sub_resources_for_display() -> QuerySet[SubResource]:
    return SubResource.objects.select_related("location", "resource__location")
