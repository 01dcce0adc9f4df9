"""Reads of batches and cycles, and the queue counters they make: every counter is an
aggregate over cycle rows, in SQL."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from customers.statuses import ACTIVE_CATEGORIES, COUNTERS, StatusCategory
from niagara.querysets import built_once
from queues.models import Queue
from queues.selectors import queues_for_display
from relations.models import Direction, Relation, RelationType
from relations.selectors import related_ids
from users.models import User
from users.roles import GROUP_NAMES, FloorRole
from workorders.models import WorkOrder
from workorders.selectors import work_orders_for_display

from .models import Batch, Cycle, FloorTally, TechTally
from .tallies import OPEN as OPEN_COLUMNS

ACTIVE = list(ACTIVE_CATEGORIES)


# The columns a tally shares with a batch: a condition on batches that names only these (and
# what is above them) filters the tallies exactly as it filters batches.
TALLY_PATHS = frozenset({"queue", "queue_id", "work_order", "work_order_id"})


def tally_condition(viewer) -> Q | None:
    """The filter on tallies giving what ``viewer`` (an ``Access``, or None for the system)
    reads of the batches, or None when their reading turns on the batches themselves (a
    technician reads the batches assigned to them: only the batches can say which)."""
    condition = Q() if viewer is None else viewer.read_condition(Batch)
    return condition if _speaks_of_tallies(condition) else None


def _speaks_of_tallies(condition: Q) -> bool:
    for child in condition.children:
        if isinstance(child, Q):
            if not _speaks_of_tallies(child):
                return False
        elif not (isinstance(child, tuple) and child[0].split("__")[0] in TALLY_PATHS):
            return False  # a batch's own id, or an expression (a relation probe)
    return True


OPEN_CYCLES = sum((F(column) for column in OPEN_COLUMNS[1:]), F(OPEN_COLUMNS[0]))


def floor_tally_rows(viewer, **filters) -> QuerySet:
    """Per (queue, work order), the batches ``viewer`` may read: how many, how many have an
    open cycle, and their cycles by category (``COUNTERS``' names, and ``active_cycles``).

    Where the viewer's reading is a matter of queues and work orders (every batch, a customer,
    a site), the rows the database keeps (``batches.tallies``): a few per queue, whatever the
    floor holds. Otherwise (a technician's assigned batches), the same sums over the batches
    they read, each batch's tally joined in (one row a batch, never one a cycle)."""
    condition = tally_condition(viewer)
    if condition is not None:
        tallies = FloorTally.objects.filter(condition, batches__gt=0, **filters)
        return tallies.values(
            "queue", "work_order", "batches", "active_batches", *COUNTERS
        ).annotate(active_cycles=OPEN_CYCLES)
    batches = viewer.visible(Batch.objects.filter(**filters))
    held = {name: F(f"tally__{name}") for name in COUNTERS}
    is_open = sum((held[column] for column in OPEN_COLUMNS[1:]), held[OPEN_COLUMNS[0]])
    return (
        batches.values("queue", "work_order")
        .annotate(
            batches=Count("pk"),
            active_batches=Count("pk", filter=_open_tally()),
            active_cycles=Sum(is_open),
            **{name: Sum(column) for name, column in held.items()},
        )
        .order_by()
    )


def _open_tally() -> Q:
    return Q(*[Q(**{f"tally__{column}__gt": 0}) for column in OPEN_COLUMNS], _connector=Q.OR)


def complete_units_of_work_order() -> Subquery:
    """A work order row's cycles in a COMPLETE category, summed over its floor tallies (a row
    for each queue holding its batches), not counted cycle by cycle. Registered with
    ``workorders.progress``."""
    tallies = (
        FloorTally.objects.filter(work_order=OuterRef("pk"))
        .order_by()
        .values("work_order")
        .annotate(n=Sum("complete"))
        .values("n")
    )
    return Coalesce(Subquery(tallies[:1]), 0)


def technician_reading_own(viewer) -> int | None:
    """The id of the technician ``viewer`` is, where what they read of the batches is exactly
    the batches assigned to them: their technician tallies then count it (a few rows a queue,
    however many batches they hold). None for anyone else, and for a technician with another
    kind of relation to a batch (which lets them read it too)."""
    if viewer is None or not viewer.reads_only_related("batch"):
        return None
    if viewer.relations_to("batch").exclude(relation=RelationType.TECH).exists():
        return None
    return viewer.user.pk


def set_queue_counters(queues: list[Queue], viewer=None) -> None:
    """Set every documented queue counter (seed and later docs) on a page of queues.

    One grouped query over the page's tallies joined to their work orders, a row a queue
    whatever the floor holds: the floor tallies where the viewer's reading is a matter of
    queues and work orders, a technician's own tallies where they read their assigned batches
    (``technician_reading_own``). Otherwise (a technician with other relations to batches)
    the viewer's batches summed per (queue, work order), their work orders read beside them.
    Registered with ``queues.counters`` when the app is ready.
    """
    pks = [queue.pk for queue in queues]
    condition = tally_condition(viewer)
    technician = None if condition is not None else technician_reading_own(viewer)
    if condition is not None or technician is not None:
        if technician is None:
            tallies, open_cycles = FloorTally.objects.filter(condition), OPEN_CYCLES
        else:
            tallies, open_cycles = TechTally.objects.filter(user=technician), F("open_cycles")
        rows = _queue_counter_rows(tallies.filter(batches__gt=0, queue__in=pks), open_cycles)
        by_queue = {row["queue"]: row for row in rows}
        for queue in queues:
            row = by_queue.get(queue.pk, EMPTY_QUEUE)
            for name in EMPTY_QUEUE:
                setattr(queue, name, row[name])
            queue.is_active = queue.active_cycles > 0
        return
    rows = list(floor_tally_rows(viewer, queue__in=pks))
    work_orders = WorkOrder.objects.filter(pk__in={row["work_order"] for row in rows})
    orders = {
        pk: (status, due)
        for pk, status, due in work_orders.values_list("pk", "current_status", "due_date")
    }
    by_queue: dict[int, list[dict]] = {}
    for row in rows:
        by_queue.setdefault(row["queue"], []).append(row)
    for queue in queues:
        _set_counters(queue, by_queue.get(queue.pk, []), orders)


def _queue_counter_rows(tallies: QuerySet, open_cycles) -> QuerySet:
    """Per queue, from ``tallies`` (floor or technician tallies, with ``open_cycles`` their
    open cycles) and their work orders: batches, batches and cycles still open, work orders by
    their status's category, open work orders with work waiting or running here and the span
    of their due dates (what ``_set_counters`` adds up in Python)."""
    category = "work_order__current_status__category"
    has_open_work = Q(GreaterThan(open_cycles, 0), **{f"{category}__in": ACTIVE})
    due = Q(has_open_work, work_order__due_date__isnull=False)
    return (
        tallies.values("queue")
        .annotate(
            total_batches=Sum("batches"),
            active_batches=Sum("active_batches"),
            active_cycles=Sum(open_cycles),
            active_work_orders=Count("pk", filter=has_open_work),
            min_due_date=Min("work_order__due_date", filter=due),
            max_due_date=Max("work_order__due_date", filter=due),
            **{
                f"work_orders_{name}": Count("pk", filter=Q(**{category: value}))
                for name, value in COUNTERS.items()
            },
        )
        .order_by()
    )


EMPTY_QUEUE = {
    "total_batches": 0,
    "active_batches": 0,
    "active_cycles": 0,
    "active_work_orders": 0,
    "min_due_date": None,
    "max_due_date": None,
    **{f"work_orders_{name}": 0 for name in COUNTERS},
}


def _set_counters(queue: Queue, rows: list[dict], orders: dict) -> None:
    queue.total_batches = sum(row["batches"] for row in rows)
    queue.active_cycles = sum(row["active_cycles"] for row in rows)
    queue.active_batches = sum(row["active_batches"] for row in rows)
    queue.is_active = queue.active_cycles > 0
    categories = [(orders[row["work_order"]][0] or {}).get("category") for row in rows]
    for name, category in COUNTERS.items():
        setattr(queue, f"work_orders_{name}", categories.count(category))
    # Work orders still open that have work waiting or running in this queue.
    open_rows = [
        row
        for row, category in zip(rows, categories, strict=True)
        if row["active_cycles"] and category in ACTIVE_CATEGORIES
    ]
    queue.active_work_orders = len(open_rows)
    # Work orders without a due date bound nothing.
    due = [orders[row["work_order"]][1] for row in open_rows if orders[row["work_order"]][1]]
    queue.min_due_date = min(due, default=None)
    queue.max_due_date = max(due, default=None)


def batches_for_display(viewer=None, *, listed: bool = False) -> QuerySet[Batch]:
    """Batches with their counters (from their tally, joined: one row each, no subquery per
    row), queue (with its counters, as ``viewer`` may count them) and work order.

    ``listed``: for a list's items, which embed their parents as summaries (id, label, link):
    the parents are joined in, without the counters, lines and notes only a whole parent shows.
    """
    if listed:
        return _listed_batches()
    # A parent the viewer may read nowhere is never embedded (a technician's batch shows no
    # queue or work order): its counters and lines would be counted for nothing.
    queues, work_orders = Queue.objects.select_related("location"), WorkOrder.objects.all()
    if viewer is None or viewer.may_somewhere("queue:read"):
        queues = queues_for_display(viewer)
    if viewer is None or viewer.may_somewhere("work-order:read"):
        work_orders = work_orders_for_display()
    return _counted_batches().prefetch_related(
        Prefetch("queue", queryset=queues), Prefetch("work_order", queryset=work_orders)
    )


@built_once
def _listed_batches() -> QuerySet[Batch]:
    return _counted_batches().select_related(
        "queue__location", "work_order__project__program__customer"
    )


@built_once
def _counted_batches() -> QuerySet[Batch]:
    held = {name: Coalesce(F(f"tally__{name}"), 0) for name in COUNTERS}
    return Batch.objects.annotate(number_cycles=sum(held.values(), Value(0)), **held)


# A cycle's run (its latest context, and who started it): the engine, a layer above, says how
# to read them from ``ready()``; without it they are null.
_run_columns: Callable[[], dict] | None = None


def register_run_columns(columns: Callable[[], dict]) -> None:
    """Have ``columns()`` give the expressions of a cycle row's ``context_public_id`` and
    ``assigned_user_public_id`` (called from the engine's ready())."""
    global _run_columns
    _run_columns = columns


def _cycle_run_columns() -> dict:
    if _run_columns is not None:
        return _run_columns()
    nothing = Value(None, output_field=CharField())
    return {"context_public_id": nothing, "assigned_user_public_id": nothing}


@built_once
def cycles_for_display() -> QuerySet[Cycle]:
    """Cycles with the few columns of their batch, work order and version that render, joined
    in as columns (not as three more model instances per row)."""
    return Cycle.objects.annotate(
        batch_public_id=F("batch__public_id"),
        batch_label=F("batch__label"),
        work_order_public_id=F("work_order__public_id"),
        work_order_label=F("work_order__label"),
        workflow_version=F("work_flow_version__version"),
        unit_public_id=F("unit__public_id"),
        unit_label=F("unit__label"),
        unit_serial_number=F("unit__serial_number"),
        rework_of_public_id=F("rework_of__public_id"),
        location_public_id=F("batch__queue__location__public_id"),
        **_cycle_run_columns(),
    )


def batch_techs(batch: Batch) -> QuerySet[User]:
    """Return the users who are technicians of the batch (its ``tech`` relations)."""
    ids = related_ids(batch, relation=RelationType.TECH, model=User, direction=Direction.INWARD)
    return User.objects.filter(pk__in=ids)


def cycles_left(work_order: WorkOrder) -> int:
    """Return how many cycles the work order needs that no batch holds yet."""
    needed = sum(line.needed for line in work_order.lines.all())
    return max(needed - work_order.cycles.count(), 0)


def technicians() -> QuerySet[User]:
    """The floor's technicians: who holds the Technician role (a filter's choices: the role
    holdings are a small table; who is assigned to some batch is a million relations)."""
    return User.objects.filter(
        is_active=True, role_holdings__role__label=GROUP_NAMES[FloorRole.TECHNICIAN]
    ).distinct()


def cycle_counts(batch_pks: list[int]) -> dict[int, int]:
    """How many cycles each of a page of batches has (one grouped query)."""
    rows = (
        Cycle.objects.filter(batch__in=batch_pks)
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values_list("batch", "n")
    )
    return dict(rows)


def batches_of_technician(user_pk: int) -> QuerySet:
    """Return the pks of the batches ``user_pk`` is a technician of (a subquery)."""
    return batches_of_technicians([user_pk])


def batches_of_technicians(user_pks) -> QuerySet:
    """Return the pks of the batches any of ``user_pks`` (ids or a subquery) is a technician
    of (a subquery)."""
    batch_type = ContentType.objects.get_for_model(Batch)
    user_type = ContentType.objects.get_for_model(User)
    techs = Relation.objects.filter(
        relation=RelationType.TECH,
        object_type=batch_type,
        subject_type=user_type,
        subject_id__in=user_pks,
    )
    return techs.values("object_id")


def technicians_of(batch_pks: list[int]) -> dict[int, list[str]]:
    """Return {batch pk: its technicians' names} for ``batch_pks``, in one query."""
    rows = Relation.objects.filter(
        relation=RelationType.TECH,
        object_type=ContentType.objects.get_for_model(Batch),
        subject_type=ContentType.objects.get_for_model(User),
        object_id__in=batch_pks,
    ).annotate(
        username=Subquery(User.objects.filter(pk=OuterRef("subject_id")).values("username")[:1])
    )
    names: dict[int, list[str]] = {}
    for batch_pk, username in rows.order_by("object_id", "username").values_list(
        "object_id", "username"
    ):
        names.setdefault(batch_pk, []).append(username)
    return names


def floor_summary(work_order: WorkOrder) -> dict:
    """Return a work order's cycles by category, its batch count and the queues holding them."""
    by_category = dict(work_order.cycles.values_list("category").annotate(n=Count("pk")).order_by())
    needed = sum(line.needed for line in work_order.lines.all())
    return {
        "work_order": work_order,
        "needed": needed,
        "placed": sum(by_category.values()),
        "by_category": [
            (category, StatusCategory(category).label, by_category.get(category, 0))
            for category in COUNTERS.values()
        ],
        "batches": work_order.batches.count(),
        "queues": list(Queue.objects.filter(batches__work_order=work_order).distinct()),
    }
