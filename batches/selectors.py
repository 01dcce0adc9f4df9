"""Querysets shaped for the API: every counter is an aggregate over cycle rows, in SQL."""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from customers.statuses import ACTIVE_CATEGORIES, COUNTERS, category_counts
from queues.models import Queue
from workorders.api.views import work_orders_for_display
from workorders.models import WorkOrder

from .models import Batch

ACTIVE = list(ACTIVE_CATEGORIES)


def _scalar(queryset, group_by: str, aggregate):
    """Return a correlated subquery of one aggregate over ``queryset``, per ``group_by``."""
    return Subquery(queryset.order_by().values(group_by).annotate(v=aggregate).values("v")[:1])


def queues_for_display():
    """Queues with every documented counter (seed and later docs), computed per row in SQL."""
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
    queryset = Queue.objects.select_related("location").annotate(**annotations)
    return queryset.annotate(
        is_active=ExpressionWrapper(Q(active_cycles__gt=0), output_field=BooleanField())
    )


def batches_for_display():
    """Batches with their counters, queue (with its counters) and work order (fully embedded)."""
    counters = category_counts("cycles")
    return Batch.objects.annotate(number_cycles=Count("cycles"), **counters).prefetch_related(
        Prefetch("queue", queryset=queues_for_display()),
        Prefetch("work_order", queryset=work_orders_for_display()),
    )
