"""A queue's counters: computed for a whole page of queues at once, by the apps that own the
data they count.

A queue's counters are aggregates of what other apps place in it (batches and their cycles).
Those apps register a function that sets them on a list of queues; every queryset made with
``Queue.objects.with_counters(viewer)`` calls the registered functions once for the rows it
fetched, so a page of 100 queues (or the one queue a page of batches embeds) costs the same few
grouped queries, never one set of subqueries per queue.

A queue is shared: two customers' batches wait in it. Its counters count what the viewer may
read (``viewer`` is the caller's access, whose ``visible`` filters the counted rows), so a
manager of one customer never learns another's volume from a number or a bar; without a
viewer (a command, the system) they count everything.
"""

from collections.abc import Callable

from django.db.models.query import ModelIterable

CounterSetter = Callable[[list, object | None], None]
_setters: list[CounterSetter] = []


def register_queue_counters(set_counters: CounterSetter) -> None:
    """Have ``set_counters(queues, viewer)`` run for every fetched page of queues (from
    ready())."""
    if set_counters not in _setters:
        _setters.append(set_counters)


class CountedQueueIterable(ModelIterable):
    """Yield the fetched queues once every registered counter is set on them."""

    viewer = None  # whose counters: the caller's access, or None for everything

    def __iter__(self):
        queues = list(super().__iter__())
        if queues:
            for set_counters in _setters:
                set_counters(queues, self.viewer)
        yield from queues


def counted_for(viewer) -> type[CountedQueueIterable]:
    """The iterable that counts for ``viewer`` (a queryset keeps its iterable class when it
    is cloned, so filters and slices made after ``with_counters`` keep counting for them)."""
    if viewer is None:
        return CountedQueueIterable
    return type("CountedQueueIterableFor", (CountedQueueIterable,), {"viewer": viewer})
