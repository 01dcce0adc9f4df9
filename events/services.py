"""Recording events with the changes they tell of, and handing them to what listens.

``record`` writes the event in the caller's transaction; when that transaction commits, a task
hands it over (``tasks.dispatch_events``). Nothing is sent for a change that rolled back, and an
event whose hand-over was lost (a worker killed, a queue down) is handed over by the next sweep.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from history.services import current_cause
from relations.registry import entities

from .catalogue import FIELD_EVENTS
from .models import Event

logger = logging.getLogger(__name__)

# Where a kind's customer is, when its registration does not say (a run: its cycle's).
CUSTOMER_PATHS = {"CTX": "cycle__work_order__project__program__customer"}

Listener = Callable[[list[Event]], None]
_listeners: list[Listener] = []


def listen(listener: Listener, *, first: bool = False) -> None:
    """Have ``listener(events)`` called with each committed batch of events, in the worker and
    in the batch's own transaction (what it writes is kept if and only if the batch is marked
    handed over). Called from an app's ``ready()``; a listener must be idempotent (a batch whose
    worker died is handed over again). ``first``: before the listeners already there."""
    if listener not in _listeners:
        _listeners.insert(0, listener) if first else _listeners.append(listener)


@dataclass
class NewEvent:
    type: str
    entity_id: str
    customer_id: int | None = None
    data: dict = field(default_factory=dict)


def record(event_type: str, entity_id: str, *, customer_id, data: dict) -> None:
    record_many([NewEvent(event_type, entity_id, customer_id, data)])


def record_many(new: Iterable[NewEvent]) -> None:
    """Write events in the current transaction; a worker hands them over once it commits."""
    now = timezone.now()
    # A change an action made names it: its events trigger no action (no chains, no loops).
    cause = current_cause()
    rows = [
        Event(
            type=each.type,
            entity_id=each.entity_id,
            customer_id=each.customer_id,
            data={**each.data, "caused_by": cause} if cause else each.data,
            occurred=now,
        )
        for each in new
    ]
    if not rows:
        return
    Event.objects.bulk_create(rows)
    transaction.on_commit(_enqueue_dispatch)


def _enqueue_dispatch() -> None:
    # A queue that is down loses nothing: the events wait in their table for the next sweep.
    from .tasks import dispatch_events

    try:
        dispatch_events.enqueue()
    except Exception:
        import logging

        logging.getLogger(__name__).warning("events: enqueue failed; the sweep will hand over")


def customer_of(instance: models.Model, *, deleted: bool = False) -> int | None:
    """The id of the customer ``instance`` belongs to: one query through its parents' keys, or
    (a deletion's event: its row is gone) read through the parents in hand."""
    kind = entities.for_model(type(instance))
    if kind is None:
        return None
    if kind.code == "CUS":
        return instance.pk
    path = CUSTOMER_PATHS.get(kind.code) or kind.ancestors.get("customer")
    if not path:
        return None
    if not deleted:
        rows = type(instance)._base_manager.filter(pk=instance.pk)
        return rows.values_list(path, flat=True).first()
    *hops, last = path.split("__")
    target = instance
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def record_entity_change(sender, instance, history_instance, **kwargs):
    """The events of one history record: ``<TYPE>.created|changed|deleted``, and one per
    changed field that is an event of its own (``UNIT.location-changed``)."""
    kind = entities.for_model(type(instance))
    if kind is None:
        return
    what = {"+": "created", "~": "changed", "-": "deleted"}[history_instance.history_type]
    id_key = f"{kind.kind.replace('-', '_')}_id"
    data = {id_key: instance.public_id}
    names = [f"{kind.code}.{what}"]
    if what == "changed":
        # Read off by the history's diffs of the same record (``history.services``).
        changed = getattr(history_instance, "changed_fields", set())
        if not changed:
            return  # saved without a change: nothing happened
        data["changed"] = sorted(changed)
        for name in changed:
            if name in FIELD_EVENTS:
                names.append(f"{kind.code}.{FIELD_EVENTS[name]}")
                data[name] = _value(instance, name)
    customer_id = customer_of(instance, deleted=what == "deleted")
    record_many(NewEvent(name, instance.public_id, customer_id, data) for name in names)


def _value(instance, name):
    """A field's value as an event carries it: a related entity by its public id."""
    field_ = instance._meta.get_field(name)
    if field_.is_relation:
        related = getattr(instance, name, None)
        return getattr(related, "public_id", None)
    return getattr(instance, name)


def dispatch(events: list[Event]) -> None:
    """Hand ``events`` to every listener (in the caller's transaction)."""
    for listener in _listeners:
        listener(events)
