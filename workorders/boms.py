"""Bills of materials (§3.12): what a workflow's runs consume — the parts its
``allocate-unit-to-project`` steps take, one each a run — against the units of those parts
free at a location (there, and allocated to no project yet).

Computed, not stored: a BOM is a workflow at a location. ``needed`` is what the open work
orders at the location need through the workflow (their lines' ``needed``, times the part's
uses a run); the BOM's work order is the one due first among them. A page of BOMs reads a
fixed number of queries whatever its size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum

from customers.statuses import StatusCategory
from queues.models import Location
from units.models import Part, Unit

from .models import WorkFlow, WorkOrder, WorkOrderLine

CLOSED = (StatusCategory.COMPLETE, StatusCategory.CANCELLED)
MAX_PARTS = 100  # the docs: 1 to 100 available parts a BOM


def _steps_of(steps: dict):
    for step in steps.values():
        if not isinstance(step, dict):
            continue
        yield step
        for branch in step.get("branches") or []:
            if isinstance(branch, dict) and isinstance(branch.get("steps"), dict):
                yield from _steps_of(branch["steps"])


def parts_per_run(steps: dict) -> Counter:
    """{part public id: how many a run of these steps allocates}."""
    uses = Counter()
    for step in _steps_of(steps):
        options = step.get("options") or {}
        if options.get("function") in ("allocate-unit-to-project", "allocate-units-to-project"):
            part_id = (options.get("payload") or {}).get("part_id")
            if isinstance(part_id, str):
                uses[part_id] += 1
    return uses


@dataclass
class BomPart:
    part: Part
    needed: int
    available: int


@dataclass
class Bom:
    work_flow: WorkFlow
    location: Location
    work_order: WorkOrder | None
    parts: list[BomPart] = field(default_factory=list)

    @property
    def public_id(self) -> str:
        return f"{self.work_flow.public_id}_{self.location.public_id}"

    @property
    def label(self) -> str:
        return f"{self.work_flow.label} at {self.location.label}"

    @property
    def created(self):
        return self.work_flow.created

    @property
    def updated(self):
        return max(self.work_flow.updated, self.location.updated)


def open_work_orders(work_flow: WorkFlow) -> QuerySet[WorkOrder]:
    """The work orders still to do that produce through ``work_flow``."""
    return WorkOrder.objects.filter(lines__work_flow=work_flow).exclude(
        current_status__category__in=CLOSED
    )


def bom_locations(work_flow: WorkFlow) -> QuerySet[Location]:
    """The locations with open work orders through ``work_flow``: where it has a BOM."""
    orders = open_work_orders(work_flow).values("location")
    return Location.objects.filter(pk__in=orders)


def boms_at(work_flow: WorkFlow, locations: list[Location], *, work_orders=None) -> dict:
    """{location pk: Bom} for ``locations`` (a page of them), in five queries. ``work_orders``
    narrows the open work orders considered (to those the viewer may read)."""
    uses = parts_per_run(work_flow.steps)
    pks = [location.pk for location in locations]
    orders = open_work_orders(work_flow).filter(location__in=pks)
    if work_orders is not None:
        orders = orders.filter(pk__in=work_orders.values("pk"))
    runs = dict(
        WorkOrderLine.objects.filter(work_flow=work_flow, work_order__in=orders)
        .values_list("work_order__location")
        .annotate(total=Sum("needed"))
    )
    first_due = {}
    for order in orders.order_by("due_date", "pk").distinct():
        first_due.setdefault(order.location_id, order)
    parts = {part.public_id: part for part in Part.objects.filter(public_id__in=list(uses))}
    free = defaultdict(int)
    for part_pk, location_pk, count in (
        Unit.objects.filter(part__in=parts.values(), current_location__in=pks, project=None)
        .values_list("part", "current_location")
        .annotate(count=Count("pk"))
    ):
        free[part_pk, location_pk] = count
    ordered = sorted(parts.values(), key=lambda part: (part.label, part.pk))[:MAX_PARTS]
    return {
        location.pk: Bom(
            work_flow,
            location,
            first_due.get(location.pk),
            [
                BomPart(
                    part,
                    needed=runs.get(location.pk, 0) * uses[part.public_id],
                    available=free[part.pk, location.pk],
                )
                for part in ordered
            ],
        )
        for location in locations
    }
