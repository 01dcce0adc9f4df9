"""A queue's counters: computed for a whole page of queues at once, by the apps that own the
data they count.

A queue's counters are aggregates of what other apps place in it (batches and their cycles).
Those apps register a function that sets them on a list of queues; every queryset made with
``Queue.objects.with_counters()`` calls the registered functions once for the rows it fetched,
so a page of 100 queues (or the one queue a page of batches embeds) costs the same few grouped
queries, never one set of subqueries per queue.
"""

from collections.abc import Callable

from django.db.models.query import ModelIterable

CounterSetter = Callable[[list], None]
_setters: list[CounterSetter] = []


def register_queue_counters(set_counters: CounterSetter) -> None:
    """Have ``set_counters(queues)`` run for every fetched page of queues (from ready())."""
    if set_counters not in _setters:
        _setters.append(set_counters)


class CountedQueueIterable(ModelIterable):
    """Yield the fetched queues once every registered counter is set on them."""

    def __iter__(self):
        queues = list(super().__iter__())
        if queues:
            for set_counters in _setters:
                set_counters(queues)
        yield from queues
