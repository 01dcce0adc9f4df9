"""Reads of batches and cycles, and the queue counters they make: every counter is an
aggregate over cycle rows, in SQL."""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from customers.statuses import ACTIVE_CATEGORIES, COUNTERS, category_counts
from queues.models import Queue
from queues.selectors import queues_for_display
from relations.models import Direction, RelationType
from relations.selectors import related_ids
from users.models import User
from workorders.models import WorkOrder
from workorders.selectors import work_orders_for_display

from .models import Batch, Cycle

ACTIVE = list(ACTIVE_CATEGORIES)


def _scalar(queryset, group_by: str, aggregate):
    """Return a correlated subquery of one aggregate over ``queryset``, per ``group_by``."""
    return Subquery(queryset.order_by().values(group_by).annotate(v=aggregate).values("v")[:1])


def with_queue_counters(queues: QuerySet[Queue]) -> QuerySet[Queue]:
    """Annotate every documented queue counter (seed and later docs), per row in SQL.

    Registered with ``queues.selectors`` when the app is ready.
    """
    in_queue = Batch.objects.filter(queue=OuterRef("pk"))
    active_batches = in_queue.filter(cycles__category__in=ACTIVE)
    active_orders = WorkOrder.objects.filter(
        batches__queue=OuterRef("pk"),
        batches__cycles__category__in=ACTIVE,
        current_status__category__in=ACTIVE,
    )
    ordered = WorkOrder.objects.filter(batches__queue=OuterRef("pk"))
    annotations = {
        "total_batches": Coalesce(_scalar(in_queue, "queue", Count("pk", distinct=True)), 0),
        "active_cycles": Coalesce(
            _scalar(in_queue.filter(cycles__category__in=ACTIVE), "queue", Count("cycles")), 0
        ),
        "active_batches": Coalesce(_scalar(active_batches, "queue", Count("pk", distinct=True)), 0),
        "active_work_orders": Coalesce(
            _scalar(active_orders, "batches__queue", Count("pk", distinct=True)), 0
        ),
        "min_due_date": _scalar(active_orders, "batches__queue", Min("due_date")),
        "max_due_date": _scalar(active_orders, "batches__queue", Max("due_date")),
        **{
            f"work_orders_{name}": Coalesce(
                _scalar(
                    ordered.filter(current_status__category=category),
                    "batches__queue",
                    Count("pk", distinct=True),
                ),
                0,
            )
            for name, category in COUNTERS.items()
        },
    }
    return queues.annotate(**annotations).annotate(
        is_active=ExpressionWrapper(Q(active_cycles__gt=0), output_field=BooleanField())
    )


def batches_for_display() -> QuerySet[Batch]:
    """Batches with their counters, queue (with its counters) and work order (fully embedded)."""
    counters = category_counts("cycles")
    return Batch.objects.annotate(number_cycles=Count("cycles"), **counters).prefetch_related(
        Prefetch("queue", queryset=queues_for_display()),
        Prefetch("work_order", queryset=work_orders_for_display()),
    )


def cycles_for_display() -> QuerySet[Cycle]:
    """Cycles with the few columns of their batch, work order and version that render."""
    return Cycle.objects.select_related("batch", "work_order", "work_flow_version").only(
        *(f.name for f in Cycle._meta.concrete_fields),
        "batch__public_id",
        "batch__label",
        "work_order__public_id",
        "work_order__label",
        "work_flow_version__version",
    )


def batch_techs(batch: Batch) -> QuerySet[User]:
    """Return the users who are technicians of the batch (its ``tech`` relations)."""
    ids = related_ids(batch, relation=RelationType.TECH, model=User, direction=Direction.INWARD)
    return User.objects.filter(pk__in=ids)


def cycles_left(work_order: WorkOrder) -> int:
    """Return how many cycles the work order needs that no batch holds yet."""
    needed = sum(line.needed for line in work_order.lines.all())
    return max(needed - work_order.cycles.count(), 0)
