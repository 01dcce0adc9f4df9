"""Reads of locations and queues.

A queue's counters are aggregates of what other apps place in it (batches and their cycles):
those apps register how to compute them, so this app needs no knowledge of them.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from .models import Queue

QueueAnnotator = Callable[[QuerySet[Queue]], QuerySet[Queue]]
_counters: list[QueueAnnotator] = []


def register_queue_counters(annotate: QueueAnnotator) -> None:
    """Have ``queues_for_display`` pass its queryset through ``annotate`` (an app's ready())."""
    if annotate not in _counters:
        _counters.append(annotate)


def queues_for_display() -> QuerySet[Queue]:
    """Queues with their location and every registered counter, computed per row in SQL."""
    queryset = Queue.objects.select_related("location")
    for annotate in _counters:
        queryset = annotate(queryset)
    return queryset
