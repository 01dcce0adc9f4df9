"""Reads of work orders and workflows, shaped for what renders them."""

from django.db.models import Prefetch, Q, QuerySet

from customers.models import Customer, Program, Project, statuses_in_use
from customers.selectors import projects_for_display
from customers.statuses import category_counts, missing_from
from niagara.models import note_counts
from niagara.querysets import built_once

from .models import WorkOrder, WorkOrderLine


@built_once
def work_orders_for_display() -> QuerySet[WorkOrder]:
    """Work orders with everything their serializer renders, in a fixed number of queries."""
    return (
        WorkOrder.objects.select_related("location")
        .annotate(**note_counts(WorkOrder))
        .prefetch_related(
            Prefetch("project", queryset=projects_for_display()),
            Prefetch(
                "lines",
                # The six counters: the cycles of each line, by status category.
                queryset=WorkOrderLine.objects.select_related(
                    "work_flow", "work_flow_version"
                ).annotate(**category_counts("cycles")),
            ),
        )
    )


def work_orders_losing_status(
    level: Customer | Program | Project, allowed: list[dict]
) -> list[str]:
    """Return "status … still used by work order …" for the work orders whose statuses come
    from ``level`` (they and the levels between inherit its list) and are not in ``allowed``.

    Registered with the customers app, which asks before a vocabulary narrows.
    """
    inheriting = {
        Customer: Q(
            project__program__customer=level,
            project__program__allowed_statuses__isnull=True,
            project__allowed_statuses__isnull=True,
        ),
        Program: Q(project__program=level, project__allowed_statuses__isnull=True),
        Project: Q(project=level),
    }[type(level)]
    work_orders = WorkOrder.objects.filter(inheriting).exclude(current_status=None)
    return statuses_in_use(
        [(w, missing_from([w.current_status], allowed)) for w in work_orders], "work order"
    )
