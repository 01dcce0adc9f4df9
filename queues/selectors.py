"""Reads of locations and queues."""

from django.db.models import QuerySet

from .models import Queue


def queues_for_display(viewer=None) -> QuerySet[Queue]:
    """Queues with their location and every counter the other apps register (``counters``),
    counting what ``viewer`` (the caller's access) may read."""
    return Queue.objects.select_related("location").with_counters(viewer)
