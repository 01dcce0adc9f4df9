"""The floor's invariants, recomputed from the rows (``manage.py check_integrity``).

Each check returns one line per violation; none should ever find one, whatever the
concurrency, since every write holds the work order's lock while it changes what it holds.
"""

from django.db.models import Count, F, Q
from django.db.models.fields.json import KT

from customers.statuses import describe, find_status
from workorders.models import WorkOrder, WorkOrderLine

from . import tallies
from .models import Batch, Cycle
from .services import FINISHED


def over_placed_lines() -> list[str]:
    lines = WorkOrderLine.objects.annotate(placed=Count("cycles")).filter(placed__gt=F("needed"))
    return [
        f"work order {wo}, line {pk}: {placed} cycles placed, {needed} needed"
        for pk, wo, placed, needed in lines.values_list(
            "pk", "work_order__public_id", "placed", "needed"
        )
    ]


def misplaced_cycles() -> list[str]:
    wrong = Cycle.objects.filter(
        ~Q(work_order_id=F("batch__work_order_id")) | ~Q(work_order_id=F("line__work_order_id"))
    )
    return [
        f"cycle {cycle}: not of its batch's work order or line's work order"
        for cycle in wrong.values_list("public_id", flat=True)
    ]


def miscounted_cycles() -> list[str]:
    """The counters count ``category``; it must be the category of the cycle's status."""
    wrong = Cycle.objects.exclude(category=KT("current_status__category"))
    return [
        f'cycle {cycle}: counted as {category}, its status says "{status.get("category")}"'
        for cycle, category, status in wrong.values_list("public_id", "category", "current_status")
    ]


def wrong_end_dates() -> list[str]:
    """A work order ends when every cycle it needs is COMPLETE or CANCELLED, not before."""
    problems = []
    finished = dict(
        Cycle.objects.filter(category__in=FINISHED)
        .values("work_order")
        .annotate(n=Count("pk"))
        .values_list("work_order", "n")
    )
    needed: dict[int, int] = {}
    for work_order_id, count in WorkOrderLine.objects.values_list("work_order", "needed"):
        needed[work_order_id] = needed.get(work_order_id, 0) + count
    rows = WorkOrder.objects.values_list("pk", "public_id", "end_date")
    for pk, public_id, end_date in rows:
        done = needed.get(pk, 0) > 0 and finished.get(pk, 0) >= needed.get(pk, 0)
        if done != (end_date is not None):
            state = "ended" if end_date else "open"
            problems.append(
                f"work order {public_id}: {state}, with {finished.get(pk, 0)} of "
                f"{needed.get(pk, 0)} cycles finished"
            )
    return problems


def statuses_outside_vocabulary() -> list[str]:
    """Work orders, batches and cycles hold statuses of their project's vocabulary."""
    work_orders = WorkOrder.objects.select_related("project__program__customer")
    vocabulary = {wo.pk: wo.project.effective_statuses for wo in work_orders}
    public_ids = dict(work_orders.values_list("pk", "public_id"))
    problems = []
    holders = [
        ("work order", WorkOrder.objects.values_list("pk", "current_status").distinct()),
        ("batch", Batch.objects.values_list("work_order", "current_status").distinct()),
        ("cycle", Cycle.objects.values_list("work_order", "current_status").distinct()),
    ]
    for kind, pairs in holders:
        for work_order_id, status in pairs:
            if status is None and kind != "cycle":
                continue
            if status is None or find_status(vocabulary[work_order_id], status) is None:
                shown = describe(status) if status else "none"
                problems.append(
                    f"{kind} of work order {public_ids[work_order_id]}: status {shown} is not "
                    "in its project's vocabulary"
                )
    return problems


CHECKS = {
    "placed ≤ needed on every work order line": over_placed_lines,
    "cycles belong to their batch's and line's work order": misplaced_cycles,
    "cycle counters match their statuses": miscounted_cycles,
    "work orders end exactly when their cycles are finished": wrong_end_dates,
    "statuses within the project's vocabulary": statuses_outside_vocabulary,
    "counters kept by the database equal a recount": tallies.tally_problems,
}

# What ``check_integrity --repair`` may rewrite: derived data only, never a fact.
REPAIRS = {"counters kept by the database equal a recount": tallies.recount}
