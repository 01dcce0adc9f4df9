"""Placing work on the floor: batches of a work order in a queue, and their cycles.

Creating one batch and creating a thousand are the same path, written in bulk so its query
count does not grow with the number of batches. Every write that changes what a work order
holds starts with ``placement_lock`` (the work order's row), so they serialize.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from customers.statuses import StatusCategory, checked_status, first_of, first_pending
from events.services import NewEvent, record_many
from history.services import change_reason
from niagara.errors import Conflict, InvalidData, Locked, NotFound
from queues.models import Queue
from relations.models import RelationType
from relations.services import delete_entity, relate_many, relation_remove, save_entity
from users.models import User
from workorders.models import WorkOrder
from workorders.services import Placement, current_version, placement_lock

from .models import OWNER, Batch, Cycle

MAX_BATCHES_PER_CALL = 1000
IN_FLIGHT = {StatusCategory.IN_PROGRESS, StatusCategory.VERIFYING}
FINISHED = {StatusCategory.COMPLETE, StatusCategory.CANCELLED}


def next_order(queue: Queue) -> int:
    """Return the processing order just after the last batch of ``queue``."""
    return (queue.batches.aggregate(last=Max("order"))["last"] or 0) + 1


def _status_of(work_order: WorkOrder, status: dict | None) -> dict | None:
    return checked_status(status, work_order.project.effective_statuses, owner=OWNER)


def _check_label_free(work_order: WorkOrder, label: str, *, batch: Batch | None = None) -> None:
    taken = work_order.batches.filter(label=label).exclude(pk=getattr(batch, "pk", None))
    if taken.exists():
        raise Conflict(f'The work order already has a batch labelled "{label}"')


@transaction.atomic
def batches_create(
    *,
    actor,
    work_order: WorkOrder,
    queue: Queue,
    number_cycles: int,
    total: int = 1,
    order: int | None = None,
    current_status: dict | None = None,
    label: str | None = None,
    labels: list[str] = (),
    users: list[User] = (),
    of: int | None = None,
) -> list[Batch]:
    """Create ``total`` batches of ``number_cycles`` cycles each, all or nothing.

    The cycles placed never exceed the cycles the work order needs (``CapacityExceeded``).
    Generated labels read "<work order> · 7/<of>" (``of`` defaults to the batches after this).
    """
    if not 1 <= total <= MAX_BATCHES_PER_CALL:
        message = f"should be from 1 to {MAX_BATCHES_PER_CALL}"
        raise ValidationError({"total": ValidationError(message, code="maximum")})
    if label is not None and total != 1:
        raise ValidationError(
            {"label": ValidationError("only one batch can be named", code="maxItems")}
        )
    # What the request says is checked before the state it meets (a 400 before a 409).
    status = _status_of(work_order, current_status)
    placement = placement_lock(work_order)
    placement.check_room(number_cycles * total)
    locked = placement.work_order
    if label is not None:
        _check_label_free(locked, label)
    existing = locked.batches.count()
    first = next_order(queue) if order is None else order
    of = of or existing + total
    batches = [
        Batch(
            label=label if label is not None else f"{locked.label} · {existing + i + 1}/{of}",
            work_order=locked,
            queue=queue,
            order=first + i,
            current_status=status,
            labels=list(labels),
        )
        for i in range(total)
    ]
    batches = bulk_create_with_history(
        batches, Batch, default_user=actor, default_change_reason=change_reason()
    )
    _create_cycles(placement, batches, number_cycles)
    people = [(actor, RelationType.CREATED)] if actor is not None else []
    relate_many([*people, *((user, RelationType.TECH) for user in users)], batches)
    return batches


def _create_cycles(placement: Placement, batches: list[Batch], per_batch: int) -> None:
    """Give each batch its cycles, filling the work order's lines in order (first PENDING)."""
    work_order = placement.work_order
    pending = first_pending(work_order.project.effective_statuses)
    if pending is None:
        raise Conflict("The work order's project has no PENDING status for new cycles")
    free = [[line, line.needed - line.placed] for line in placement.lines]
    versions = {line.pk: current_version(line.work_flow) for line in placement.lines}
    cycles, number = [], placement.placed
    for batch in batches:
        for _ in range(per_batch):
            slot = next(slot for slot in free if slot[1] > 0)
            slot[1] -= 1
            number += 1
            cycles.append(
                Cycle(
                    label=f"Cycle {number} for work order: {work_order.label}",
                    batch=batch,
                    work_order=work_order,
                    line=slot[0],
                    work_flow_version=versions[slot[0].pk],
                    current_status=pending,
                    category=pending["category"],
                )
            )
    Cycle.objects.bulk_create(cycles, batch_size=1000)


@dataclass(kw_only=True)
class BatchFields:
    """What a client writes of one batch (``PUT /batches/{id}``)."""

    work_order: WorkOrder
    queue: Queue
    number_cycles: int
    order: int | None = None
    current_status: dict | None = None
    label: str | None = None
    labels: list[str] = field(default_factory=list)


def lock_for_write(model: type[Batch] | type[Cycle], public_id: str) -> None:
    """Take the locks a write to one batch or cycle needs, in the one order every placement
    write uses: its work order's row, then its own (a request then checks ``If-Match`` and
    acts on rows nobody else can change meanwhile)."""
    rows = model.objects.filter(public_id=public_id)
    work_order_id = rows.values_list("work_order_id", flat=True).first()
    if work_order_id is None:
        return
    list(WorkOrder.objects.select_for_update().filter(pk=work_order_id).values_list("pk"))
    list(rows.select_for_update().values_list("pk"))


def _locked_batches(batches: list[Batch]) -> list[Batch]:
    """Lock the batches' work orders (in id order), then read the batches fresh, locked: a
    bulk change never saves a stale instance. Batches gone meanwhile are left out."""
    for work_order_id in sorted({batch.work_order_id for batch in batches}):
        list(WorkOrder.objects.select_for_update().filter(pk=work_order_id).values_list("pk"))
    fresh = Batch.objects.select_for_update().filter(pk__in=[batch.pk for batch in batches])
    return list(fresh.order_by("order", "pk"))


def _locked_batch(batch: Batch) -> tuple[Placement, Batch]:
    """Lock the batch's work order, then read the batch fresh (it may have gone meanwhile)."""
    placement = placement_lock(batch.work_order)
    fresh = Batch.objects.select_for_update().filter(pk=batch.pk).first()
    if fresh is None:
        raise NotFound(f'A Resource with the id "{batch.public_id}" was not found')
    return placement, fresh


@transaction.atomic
def batch_update(batch: Batch, /, *, actor, fields: BatchFields) -> Batch:
    """Replace a batch: move it to another queue (to its end unless ``order`` says where),
    re-order it, change its status, or grow or shrink it within the capacity rule. Cycles in
    flight are never removed."""
    if fields.work_order.pk != batch.work_order_id:
        message = "a batch cannot move to another work order"
        raise ValidationError({"work_order": ValidationError(message, code="const")})
    _status_of(batch.work_order, fields.current_status)  # a 400 before any 409
    placement, stored = _locked_batch(batch)
    _resize(placement, stored, fields.number_cycles)
    if fields.label is not None and fields.label != stored.label:
        _check_label_free(placement.work_order, fields.label, batch=stored)
        stored.label = fields.label
    order = fields.order
    if order is None:
        order = stored.order if fields.queue.pk == stored.queue_id else next_order(fields.queue)
    stored.queue, stored.order = fields.queue, order
    stored.current_status = fields.current_status
    stored.labels = fields.labels
    return _store(stored, actor=actor)


def _store(batch: Batch, *, actor) -> Batch:
    """Validate (status within the project's) and save a batch, recording ``actor``."""
    batch.full_clean(validate_unique=False, validate_constraints=False)
    return save_entity(batch, actor=actor)


def _resize(placement: Placement, batch: Batch, number_cycles: int) -> None:
    current = batch.cycles.count()
    if number_cycles > current:
        placement.check_room(number_cycles - current)
        _create_cycles(placement, [batch], number_cycles - current)
    elif number_cycles < current:
        surplus = current - number_cycles
        pending = batch.cycles.filter(category=StatusCategory.PENDING).order_by("-id")
        ids = list(pending.values_list("pk", flat=True)[:surplus])
        if len(ids) < surplus:
            raise Locked(
                "This resource is currently locked from editing: only pending cycles can be "
                f"removed, and {len(ids)} are pending"
            )
        Cycle.objects.filter(pk__in=ids).delete()


@transaction.atomic
def batch_swap(batch: Batch, /, *, actor, earlier: bool) -> None:
    """Swap a batch with the one just before it (``earlier``) or after it in its queue, each
    saved through ``batch_update``; at either end of the queue nothing moves."""
    siblings = Batch.objects.filter(queue_id=batch.queue_id)
    if earlier:
        neighbour = siblings.filter(order__lt=batch.order).order_by("-order", "-id").first()
    else:
        neighbour = siblings.filter(order__gt=batch.order).order_by("order", "id").first()
    if neighbour is None:
        return
    for moved, order in ((batch, neighbour.order), (neighbour, batch.order)):
        fields = BatchFields(
            work_order=moved.work_order,
            queue=moved.queue,
            number_cycles=moved.cycles.count(),
            order=order,
            current_status=moved.current_status,
            label=moved.label,
            labels=moved.labels,
        )
        batch_update(moved, actor=actor, fields=fields)


@transaction.atomic
def batch_delete(batch: Batch, /, *, actor) -> None:
    """Delete a batch and free its cycles; Locked while any of them is in flight."""
    _placement, stored = _locked_batch(batch)
    if stored.cycles.filter(category__in=IN_FLIGHT).exists():
        raise Locked(
            "This resource is currently locked from editing: cycles of this batch are in progress"
        )
    delete_entity(stored, actor=actor)


@transaction.atomic
def batches_move(batches: list[Batch], /, *, actor, queue: Queue) -> None:
    """Move batches to the end of another queue, keeping their relative order."""
    fresh = _locked_batches(batches)
    start = next_order(queue)
    for offset, batch in enumerate(fresh):
        batch.queue, batch.order = queue, start + offset
        _store(batch, actor=actor)


@transaction.atomic
def batches_reorder(batches: list[Batch], /, *, actor) -> int:
    """Put batches of one queue in the order given, in the places they held between them
    (a board's page dragged into a new order and saved once); return how many moved.

    Only the given batches move: those before, between and after keep their places."""
    fresh = {batch.pk: batch for batch in _locked_batches(batches)}
    wanted = [fresh[batch.pk] for batch in batches if batch.pk in fresh]
    if len({batch.queue_id for batch in wanted}) > 1:
        raise InvalidData([], "Batches are reordered within one queue.")
    slots = sorted(batch.order for batch in wanted)
    for index in range(1, len(slots)):  # ties (ordered by id until now) become places
        slots[index] = max(slots[index], slots[index - 1] + 1)
    moved = 0
    for batch, slot in zip(wanted, slots, strict=True):
        if batch.order != slot:
            batch.order = slot
            _store(batch, actor=actor)
            moved += 1
    return moved


@transaction.atomic
def batches_to_front(batches: list[Batch], /, *, actor) -> None:
    """Run batches first in their queues, keeping their relative order (a rush). The rest of a
    queue keeps its order behind them; when there is no room before its first batch, the
    queue's places shift back in one update."""
    fresh = _locked_batches(batches)
    by_queue: dict[int, list[Batch]] = {}
    for batch in fresh:
        by_queue.setdefault(batch.queue_id, []).append(batch)
    for queue_id, rushed in by_queue.items():
        others = Batch.objects.filter(queue_id=queue_id).exclude(pk__in=[b.pk for b in rushed])
        first = others.aggregate(first=models.Min("order"))["first"]
        if first is not None and first <= len(rushed):
            others.update(order=models.F("order") + len(rushed))
            first += len(rushed)
        start = (first or len(rushed) + 1) - len(rushed)
        for offset, batch in enumerate(rushed):
            if batch.order != start + offset:
                batch.order = start + offset
                _store(batch, actor=actor)


@transaction.atomic
def batches_set_status(batches: list[Batch], /, *, actor, current_status: dict | None) -> None:
    """Give batches one status (each project must allow it: all or nothing)."""
    for batch in _locked_batches(batches):
        batch.current_status = current_status
        _store(batch, actor=actor)


@transaction.atomic
def batches_assign(batches: list[Batch], /, *, actor, tech: User) -> None:
    """Make ``tech`` a technician of every one of ``batches`` (already assigned ones stay)."""
    relate_many([(tech, RelationType.TECH)], list(batches))


@transaction.atomic
def batch_tech_remove(batch: Batch, /, *, actor, tech: User) -> None:
    """Unassign a technician from a batch."""
    relation_remove(subject=tech, obj=batch, relation=RelationType.TECH)


def split_plan(left: int, size: int) -> tuple[int, int]:
    """Return (number of batches, size of the last) to place ``left`` cycles by ``size``."""
    if left <= 0 or size < 1:
        return 0, 0
    count = -(-left // size)
    return count, left - size * (count - 1)


@transaction.atomic
def work_order_split(
    work_order: WorkOrder,
    /,
    *,
    actor,
    queue: Queue,
    size: int,
    users: list[User] = (),
    cycles: int | None = None,
) -> list[Batch]:
    """Place the cycles the work order still needs in batches of ``size`` (the last smaller):
    all of them, or the first ``cycles`` (the rest go to other queues with further splits)."""
    placement = placement_lock(work_order)
    left = placement.needed - placement.placed
    count, last = split_plan(left if cycles is None else min(cycles, left), size)
    if count == 0:
        raise Conflict("The work order has no cycles left to place")
    of = placement.work_order.batches.count() + count
    common = {"actor": actor, "work_order": work_order, "queue": queue, "users": users, "of": of}
    batches = []
    if count > 1:
        batches += batches_create(number_cycles=size, total=count - 1, **common)
    batches += batches_create(number_cycles=last, total=1, **common)
    return batches


# What cancelling cycles ends in the apps above (the engine ends their runs and keeps the
# reason): called with the cycles, the actor and the reason, before the work order is locked
# (a step holds its run's lock and then wants the work order's: runs are locked first).
CancelHook = Callable[..., None]
_on_cancel: list[CancelHook] = []


def register_on_cancel(hook: CancelHook) -> None:
    """Have ``hook(cycles, actor=, reason=)`` run whenever cycles are cancelled (from ready())."""
    if hook not in _on_cancel:
        _on_cancel.append(hook)


def _cancels(status) -> bool:
    return isinstance(status, dict) and status.get("category") == StatusCategory.CANCELLED


def _cancelling(cycles: QuerySet[Cycle], *, actor, reason: str) -> None:
    for hook in _on_cancel:
        hook(cycles, actor=actor, reason=reason)


@transaction.atomic
def cycle_set_status(
    cycle: Cycle, /, *, actor, current_status: dict, reason: str = "", still_open: bool = False
) -> Cycle:
    """Move a cycle to one of its work order's statuses; every counter follows.

    A CANCELLED-category status ends the cycle's run (the apps above see to it, with
    ``reason``). With ``still_open``, a cycle that finished meanwhile is a Conflict.

    The work order's ``start_date`` is set when its first cycle leaves PENDING, its
    ``end_date`` when every cycle is COMPLETE or CANCELLED (and cleared if one re-opens).
    """
    statuses = cycle.work_order.project.effective_statuses
    status = checked_status(current_status, statuses, owner=OWNER)
    if _cancels(status):
        _cancelling(Cycle.objects.filter(pk=cycle.pk), actor=actor, reason=reason)
    placement = placement_lock(cycle.work_order)
    fresh = Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
    if fresh is None:
        raise NotFound(f'A Resource with the id "{cycle.public_id}" was not found')
    if still_open and fresh.category in FINISHED:
        raise Conflict(f"{fresh.label} has already finished ({fresh.category})")
    previous = fresh.current_status
    fresh.current_status = status
    fresh.clean()
    fresh.save(update_fields=["current_status", "category", "updated"])
    if fresh.current_status != previous:
        record_many(
            [_status_event(placement.work_order, fresh.public_id, fresh.batch_id, status, previous)]
        )
    _update_work_order_dates(placement, actor=actor)
    return fresh


def _status_event(work_order: WorkOrder, cycle_id: str, batch_pk: int, status, previous):
    """``CYC.status-changed``: the cycle, its new and previous status, where it belongs."""
    return NewEvent(
        "CYC.status-changed",
        cycle_id,
        work_order.project.program.customer_id,
        {
            "cycle_id": cycle_id,
            "current_status": status,
            "previous_status": previous,
            "work_order_id": work_order.public_id,
            "batch_id": _batch_ids(work_order).get(batch_pk),
        },
    )


def _batch_ids(work_order: WorkOrder) -> dict[int, str]:
    """The public ids of a work order's batches by key (read once per work order)."""
    cached = getattr(work_order, "_batch_ids", None)
    if cached is None:
        cached = dict(work_order.batches.values_list("pk", "public_id"))
        work_order._batch_ids = cached
    return cached


@transaction.atomic
@transaction.atomic
def work_order_cycles_cancel(work_order: WorkOrder, /, *, actor, reason: str = "") -> int:
    """Cancel every cycle of ``work_order`` that has not finished (their runs end, as one
    cycle's cancel ends its run); return how many. A project without a CANCELLED status is a
    Conflict, and changes nothing."""
    cancelled = first_of(work_order.project.effective_statuses, StatusCategory.CANCELLED)
    if cancelled is None:
        raise Conflict("The work order's project has no CANCELLED status for its cycles")
    unfinished = Cycle.objects.filter(work_order=work_order).exclude(category__in=FINISHED)
    return cycles_set_status(unfinished, actor=actor, current_status=cancelled, reason=reason)


def cycles_set_status(
    cycles: QuerySet[Cycle], /, *, actor, current_status: dict, reason: str = ""
) -> int:
    """Move every cycle of ``cycles`` to one status, all or nothing; return how many moved.

    Per work order, under its lock (as ``cycle_set_status``): the status must be one of its
    project's (``ValidationError`` otherwise), then its cycles change in one update and its dates
    follow. For the admin's bulk actions, where a selection may hold thousands of cycles. A
    CANCELLED-category status ends their runs, as for one cycle.
    """
    if current_status is None:
        raise ValidationError({"current_status": ValidationError("a cycle needs a status")})
    if _cancels(current_status):
        _cancelling(cycles, actor=actor, reason=reason)
    moved = 0
    work_order_ids = cycles.order_by().values_list("work_order", flat=True).distinct()
    for work_order in WorkOrder.objects.filter(pk__in=list(work_order_ids)).order_by("pk"):
        placement = placement_lock(work_order)
        status = checked_status(
            current_status, placement.work_order.project.effective_statuses, owner=OWNER
        )
        mine = cycles.filter(work_order=work_order)
        before = list(mine.values_list("public_id", "batch_id", "current_status"))
        moved += cycles.filter(work_order=work_order).update(
            current_status=status, category=status["category"], updated=timezone.now()
        )
        record_many(
            _status_event(placement.work_order, public_id, batch_pk, status, previous)
            for public_id, batch_pk, previous in before
            if previous != status
        )
        _update_work_order_dates(placement, actor=actor)
    return moved


def _update_work_order_dates(placement: Placement, *, actor) -> None:
    work_order, cycles = placement.work_order, placement.work_order.cycles
    changed = []
    if work_order.start_date is None and cycles.exclude(category=StatusCategory.PENDING).exists():
        work_order.start_date = timezone.now()
        changed.append("start_date")
    finished = cycles.filter(category__in=FINISHED).count()
    all_done = placement.needed > 0 and finished >= placement.needed
    if all_done != (work_order.end_date is not None):
        work_order.end_date = timezone.now() if all_done else None
        changed.append("end_date")
        if all_done:
            record_many(
                [
                    NewEvent(
                        "WOR.complete",
                        work_order.public_id,
                        work_order.project.program.customer_id,
                        {"work_order_id": work_order.public_id, "finished": finished},
                    )
                ]
            )
    if changed:
        work_order._history_user = actor
        work_order.save(update_fields=[*changed, "updated"])
