"""Reads of work orders and workflows, shaped for what renders them."""

from django.db.models import Prefetch, QuerySet

from customers.selectors import projects_for_display
from customers.statuses import category_counts

from .models import WorkOrder, WorkOrderLine


def work_orders_for_display() -> QuerySet[WorkOrder]:
    """Work orders with everything their serializer renders, in a fixed number of queries."""
    return WorkOrder.objects.select_related("location").prefetch_related(
        Prefetch("project", queryset=projects_for_display()),
        Prefetch(
            "lines",
            # The six counters: the cycles of each line, by status category.
            queryset=WorkOrderLine.objects.select_related(
                "work_flow", "work_flow_version"
            ).annotate(**category_counts("cycles")),
        ),
    )
