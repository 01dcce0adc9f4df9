"""Placing work on the floor: batches of a work order in a queue, and their cycles.

Creating one batch and creating a thousand are the same path, written in bulk so its query
count does not grow with the number of batches.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from customers.statuses import StatusCategory, describe, status_key
from niagara.errors import Conflict, Locked
from relations.models import Direction, Relation, RelationType
from relations.selectors import related_ids
from relations.services import delete_entity
from users.models import User
from workorders.models import WorkOrder
from workorders.services import current_version

from .models import Batch, Cycle

MAX_BATCHES_PER_CALL = 1000


def _checked_status(status: dict | None, work_order: WorkOrder) -> dict | None:
    """Return ``status`` completed from the work order's project list, or raise if not in it."""
    if status is None:
        return None
    for allowed in work_order.project.effective_statuses:
        if status_key(allowed) == status_key(status):
            return {**allowed, **status}
    raise ValidationError(
        {
            "current_status": ValidationError(
                f"status {describe(status)} is not allowed by the work order's project",
                code="subset",
            )
        }
    )


def _first_pending(work_order: WorkOrder) -> dict:
    statuses = work_order.project.effective_statuses
    return next(s for s in statuses if s["category"] == StatusCategory.PENDING)


@transaction.atomic
def batches_create(
    *,
    actor,
    work_order: WorkOrder,
    queue,
    number_cycles: int,
    total: int = 1,
    order: int | None = None,
    current_status: dict | None = None,
    label: str | None = None,
    users=(),
    of: int | None = None,
) -> list[Batch]:
    """Create ``total`` batches of ``number_cycles`` cycles each, all or nothing.

    The work order's row is locked first, so concurrent requests place cycles one after the
    other and the cycles placed never exceed the cycles it needs (``Conflict`` otherwise).
    """
    if not 1 <= total <= MAX_BATCHES_PER_CALL:
        raise ValidationError(
            {"total": ValidationError("should be from 1 to 1000", code="maximum")}
        )
    locked = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    lines = list(locked.cycles.select_related("work_flow").annotate(placed=Count("units")))
    needed = sum(line.needed for line in lines)
    placed = sum(line.placed for line in lines)
    asked = number_cycles * total
    if placed + asked > needed:
        raise Conflict(
            f"The work order needs {needed} cycles, {placed} are placed: "
            f"{asked} more would exceed it"
        )
    status = _checked_status(current_status, locked)
    existing = locked.batches.count()
    if label is not None and total != 1:
        raise ValidationError(
            {"label": ValidationError("only one batch can be named", code="maxItems")}
        )
    if label is not None and locked.batches.filter(label=label).exists():
        raise Conflict(f'The work order already has a batch labelled "{label}"')
    next_order = order
    if next_order is None:
        next_order = (queue.batches.aggregate(last=Max("order"))["last"] or 0) + 1
    count_after = of or existing + total  # the "/n" of generated labels
    batches = [
        Batch(
            label=label
            if label is not None
            else f"{locked.label} · {existing + i + 1}/{count_after}",
            work_order=locked,
            queue=queue,
            order=next_order + i,
            current_status=status,
        )
        for i in range(total)
    ]
    batches = bulk_create_with_history(batches, Batch, default_user=actor)
    _create_cycles(locked, lines, batches, number_cycles)
    _relate(actor, batches, users)
    return batches


def _create_cycles(work_order, lines, batches, per_batch: int) -> None:
    """Give each batch its cycles, filling the work order's lines in order (PENDING)."""
    pending = _first_pending(work_order)
    free = [(line, line.needed - line.placed) for line in lines]
    versions = {line.pk: current_version(line.work_flow) for line in lines}
    cycles, number = [], sum(line.placed for line in lines)
    line_index = 0
    for batch in batches:
        for _ in range(per_batch):
            while free[line_index][1] == 0:
                line_index += 1
            line, room = free[line_index]
            free[line_index] = (line, room - 1)
            number += 1
            cycles.append(
                Cycle(
                    label=f"Cycle {number} for work order: {work_order.label}",
                    batch=batch,
                    work_order=work_order,
                    line=line,
                    work_flow_version=versions[line.pk],
                    current_status=pending,
                    category=pending["category"],
                )
            )
    Cycle.objects.bulk_create(cycles, batch_size=1000)


def _relate(actor, batches, users) -> None:
    """Record who created the batches and their technicians, as relations, in one insert."""
    batch_type = ContentType.objects.get_for_model(Batch)
    rows = []
    people = [(actor, RelationType.CREATED)] if actor is not None else []
    people += [(user, RelationType.TECH) for user in users]
    for person, relation in people:
        user_type = ContentType.objects.get_for_model(person)
        rows += [
            Relation(
                relation=relation,
                subject_type=user_type,
                subject_id=person.pk,
                object_type=batch_type,
                object_id=batch.pk,
            )
            for batch in batches
        ]
    Relation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


IN_FLIGHT = {StatusCategory.IN_PROGRESS, StatusCategory.VERIFYING}


@transaction.atomic
def batch_delete(*, actor, batch: Batch) -> None:
    """Delete a batch and free its cycles; Locked while any of them is in flight."""
    if batch.cycles.filter(category__in=IN_FLIGHT).exists():
        raise Locked(
            "This resource is currently locked from editing: cycles of this batch are in progress"
        )
    delete_entity(batch, actor=actor)


@transaction.atomic
def cycle_set_status(*, actor, cycle: Cycle, current_status: dict) -> Cycle:
    """Move a cycle to one of its work order's statuses; every counter follows.

    The work order's ``start_date`` is set when its first cycle leaves PENDING, its
    ``end_date`` when every cycle is COMPLETE or CANCELLED (and cleared if one re-opens).
    """
    work_order = WorkOrder.objects.select_for_update().get(pk=cycle.work_order_id)
    status = _checked_status(current_status, work_order)
    cycle.current_status, cycle.category = status, status["category"]
    cycle.save(update_fields=["current_status", "category", "updated"])
    _update_work_order_dates(work_order, actor=actor)
    return cycle


FINISHED = {StatusCategory.COMPLETE, StatusCategory.CANCELLED}


def _update_work_order_dates(work_order: WorkOrder, *, actor) -> None:
    units = work_order.units
    changed = []
    if work_order.start_date is None and units.exclude(category=StatusCategory.PENDING).exists():
        work_order.start_date = timezone.now()
        changed.append("start_date")
    needed = sum(line.needed for line in work_order.cycles.all())
    finished = units.filter(category__in=FINISHED).count()
    all_done = needed > 0 and finished >= needed
    if all_done and work_order.end_date is None:
        work_order.end_date = timezone.now()
        changed.append("end_date")
    elif not all_done and work_order.end_date is not None:
        work_order.end_date = None
        changed.append("end_date")
    if changed:
        work_order._history_user = actor
        work_order.save(update_fields=[*changed, "updated"])


@transaction.atomic
def batch_update(
    *,
    actor,
    batch: Batch,
    work_order: WorkOrder,
    queue,
    number_cycles: int,
    order: int | None = None,
    current_status: dict | None = None,
    label: str | None = None,
) -> Batch:
    """Replace a batch (PUT): move it to another queue, re-order it, change its status, or grow
    or shrink it within the capacity rule. Cycles in flight are never removed."""
    if work_order.pk != batch.work_order_id:
        raise ValidationError(
            {
                "work_order": ValidationError(
                    "a batch cannot move to another work order", code="const"
                )
            }
        )
    locked = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    lines = list(locked.cycles.select_related("work_flow").annotate(placed=Count("units")))
    current = batch.cycles.count()
    if number_cycles > current:
        needed, placed = sum(line.needed for line in lines), sum(line.placed for line in lines)
        asked = number_cycles - current
        if placed + asked > needed:
            raise Conflict(
                f"The work order needs {needed} cycles, {placed} are placed: "
                f"{asked} more would exceed it"
            )
        _create_cycles(locked, lines, [batch], asked)
    elif number_cycles < current:
        removable = batch.cycles.filter(category=StatusCategory.PENDING).order_by("-id")
        surplus = current - number_cycles
        ids = list(removable.values_list("pk", flat=True)[:surplus])
        if len(ids) < surplus:
            raise Locked(
                "This resource is currently locked from editing: only pending cycles can be "
                f"removed, and {len(ids)} are pending"
            )
        Cycle.objects.filter(pk__in=ids).delete()
    if label is not None and label != batch.label:
        if locked.batches.filter(label=label).exists():
            raise Conflict(f'The work order already has a batch labelled "{label}"')
        batch.label = label
    if queue.pk != batch.queue_id and order is None:
        order = (queue.batches.aggregate(last=Max("order"))["last"] or 0) + 1
    batch.queue = queue
    batch.order = order if order is not None else batch.order
    batch.current_status = _checked_status(current_status, locked)
    batch._history_user = actor
    batch.save()
    return batch


def batch_techs(batch: Batch):
    """Return the users who are technicians of the batch (its ``tech`` relations)."""
    ids = related_ids(batch, relation=RelationType.TECH, model=User, direction=Direction.INWARD)
    return User.objects.filter(pk__in=ids)


@transaction.atomic
def batch_tech_remove(*, actor, batch: Batch, tech) -> None:
    """Unassign a technician from a batch."""
    Relation.objects.filter(
        relation=RelationType.TECH,
        subject_type=ContentType.objects.get_for_model(tech),
        subject_id=tech.pk,
        object_type=ContentType.objects.get_for_model(Batch),
        object_id=batch.pk,
    ).delete()


def split_plan(work_order: WorkOrder, size: int) -> tuple[int, int, int]:
    """Return (cycles left to place, number of batches, size of the last) for ``size``."""
    lines = work_order.cycles.annotate(placed=Count("units"))
    left = sum(line.needed - line.placed for line in lines)
    if left <= 0 or size < 1:
        return max(left, 0), 0, 0
    count = -(-left // size)
    return left, count, left - size * (count - 1)


@transaction.atomic
def work_order_split(*, actor, work_order: WorkOrder, queue, size: int, users=()) -> list[Batch]:
    """Place every cycle the work order still needs in batches of ``size`` (the last smaller)."""
    _left, count, last = split_plan(work_order, size)
    if count == 0:
        raise Conflict("The work order has no cycles left to place")
    of = work_order.batches.count() + count
    common = {"actor": actor, "work_order": work_order, "queue": queue, "users": users, "of": of}
    batches = []
    if count > 1:
        batches += batches_create(number_cycles=size, total=count - 1, **common)
    batches += batches_create(number_cycles=last, total=1, **common)
    return batches


@transaction.atomic
def batches_move(*, actor, batches, queue) -> None:
    """Move batches to the end of another queue, keeping their relative order."""
    start = (queue.batches.aggregate(last=Max("order"))["last"] or 0) + 1
    for offset, batch in enumerate(sorted(batches, key=lambda b: (b.order, b.pk))):
        batch.queue, batch.order, batch._history_user = queue, start + offset, actor
        batch.save(update_fields=["queue", "order", "updated"])


@transaction.atomic
def batches_set_status(*, actor, batches, current_status: dict | None) -> None:
    """Give batches one status (each must allow it: all or nothing)."""
    for batch in batches:
        batch.current_status = _checked_status(current_status, batch.work_order)
        batch._history_user = actor
        batch.save(update_fields=["current_status", "updated"])
