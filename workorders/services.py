"""Writes to workflows and work orders, and the capacity rule every placement obeys."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from django.db import transaction
from django.db.models import Count

from customers.input_filters import normalize_input_filter
from customers.models import Project
from customers.services import check_active
from niagara.errors import CapacityExceeded, Locked
from niagara.models import replace_fields
from queues.models import Location
from relations.services import delete_entity, save_entity

from .models import WorkFlow, WorkFlowVersion, WorkOrder, WorkOrderLine, WorkOrderType
from .workflows import normalize_steps


@dataclass(kw_only=True)
class WorkFlowFields:
    """What a client writes of a workflow; the defaults are what an omitted field means."""

    label: str
    applies_to: str
    starts_at: str
    steps: dict
    schema_version: str = "1.0"
    triggered_by: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)


@transaction.atomic
def workflow_save(work_flow: WorkFlow, *, actor) -> WorkFlow:
    """Validate and store a workflow. A changed process (steps or start) is a new version;
    cycles already placed keep the version they were placed on."""
    work_flow.full_clean()
    work_flow.steps = normalize_steps(work_flow.steps)
    if work_flow.pk:
        stored = WorkFlow.objects.get(pk=work_flow.pk)
        if stored.definition != work_flow.definition:
            work_flow.workflow_version = stored.workflow_version + 1
    save_entity(work_flow, actor=actor)
    WorkFlowVersion.objects.get_or_create(
        work_flow=work_flow,
        version=work_flow.workflow_version,
        defaults={"starts_at": work_flow.starts_at, "steps": work_flow.steps},
    )
    return work_flow


def workflow_create(*, actor, fields: WorkFlowFields) -> WorkFlow:
    return workflow_save(replace_fields(WorkFlow(), fields), actor=actor)


def workflow_update(work_flow: WorkFlow, /, *, actor, fields: WorkFlowFields) -> WorkFlow:
    """Replace a workflow's definition (PUT)."""
    return workflow_save(replace_fields(work_flow, fields), actor=actor)


@transaction.atomic
def workflow_delete(work_flow: WorkFlow, /, *, actor) -> None:
    """Delete a workflow no work order uses (one in use is Locked)."""
    delete_entity(work_flow, actor=actor)


def current_version(work_flow: WorkFlow) -> WorkFlowVersion:
    return work_flow.versions.get(version=work_flow.workflow_version)


class LineSpec(TypedDict):
    """One line of a work order as written: units needed through a workflow (an existing one,
    or the fields of a new one)."""

    needed: int
    work_flow: WorkFlow | WorkFlowFields


@dataclass(kw_only=True)
class WorkOrderFields:
    """What a client writes of a work order; ``lines`` are its documented ``cycles``."""

    label: str
    project: Project
    begin_date: datetime | None = None
    due_date: datetime | None = None
    description: str = ""
    work_order_type: str = WorkOrderType.DEVICE
    location: Location | None = None
    current_status: dict | None = None
    input_filter: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    lines: list[LineSpec] = field(default_factory=list, metadata={"model": False})


@dataclass
class Placement:
    """A work order locked for placing cycles, with its lines and the cycles each holds."""

    work_order: WorkOrder
    lines: list[WorkOrderLine]  # each annotated with ``placed``

    @property
    def needed(self) -> int:
        return sum(line.needed for line in self.lines)

    @property
    def placed(self) -> int:
        return sum(line.placed for line in self.lines)

    def check_room(self, asked: int) -> None:
        """Raise ``CapacityExceeded`` unless ``asked`` more cycles fit in the work order."""
        if self.placed + asked > self.needed:
            raise CapacityExceeded(needed=self.needed, placed=self.placed, asked=asked)


def placement_lock(work_order: WorkOrder) -> Placement:
    """Lock the work order's row and read its lines fresh.

    Everything that changes what a work order needs or holds (placing, growing, shrinking or
    deleting batches, changing its lines, moving a cycle's status) takes this lock first, so
    those changes serialize and "placed ≤ needed" holds under concurrency.
    """
    locked = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    lines = locked.lines.select_related("work_flow").annotate(placed=Count("cycles"))
    return Placement(locked, list(lines))


def check_lines_replaceable(work_order: WorkOrder, lines: list[LineSpec]) -> None:
    """Raise unless a stored work order's lines may become ``lines``.

    A COMPLETE or CANCELLED work order's lines are ``Locked``; no line may need fewer cycles
    than are placed on it (``CapacityExceeded``: a dropped line needs none).
    """
    placement = placement_lock(work_order)
    current = [(line.needed, line.work_flow_id) for line in placement.lines]
    wanted = [(spec["needed"], getattr(spec["work_flow"], "pk", None)) for spec in lines]
    if placement.work_order.is_closed and current != wanted:
        raise Locked(
            f"This resource is currently locked from editing: the work order is "
            f"{placement.work_order.status_category} and its cycles cannot change"
        )
    for index, line in enumerate(placement.lines):
        needed = lines[index]["needed"] if index < len(lines) else 0
        if line.placed > needed:
            where = "The work order" if len(current) == 1 else f"Line {index + 1} of the work order"
            raise CapacityExceeded(needed=needed, placed=line.placed, where=where)


@transaction.atomic
def work_order_save(
    work_order: WorkOrder, *, actor, lines: list[LineSpec] | None = None
) -> WorkOrder:
    """Validate and store a work order and, when given, its lines."""
    if lines is not None and work_order.pk:
        check_lines_replaceable(work_order, lines)
    work_order.full_clean()
    work_order.input_filter = normalize_input_filter(work_order.input_filter)
    save_entity(work_order, actor=actor)
    if lines is not None:
        replace_lines(work_order, lines, actor=actor)
    return work_order


@transaction.atomic
def replace_lines(work_order: WorkOrder, lines: list[LineSpec], *, actor) -> None:
    """Make the work order's lines the given list, position by position (callers check
    ``check_lines_replaceable`` first).

    A line that keeps its workflow keeps the version it was placed on; a new workflow starts
    on its current version.
    """
    existing = list(work_order.lines.all())
    for position, spec in enumerate(lines):
        work_flow = spec["work_flow"]
        if isinstance(work_flow, WorkFlowFields):
            work_flow = workflow_create(actor=actor, fields=work_flow)
        line = existing[position] if position < len(existing) else WorkOrderLine()
        line.work_order = work_order
        if line.pk is None or line.work_flow_id != work_flow.pk:
            line.work_flow = work_flow
            line.work_flow_version = current_version(work_flow)
        line.position, line.needed = position, spec["needed"]
        line.full_clean()
        line.save()
    WorkOrderLine.objects.filter(pk__in=[line.pk for line in existing[len(lines) :]]).delete()


def work_order_create(*, actor, fields: WorkOrderFields) -> WorkOrder:
    check_active(fields.project.program.customer)
    return work_order_save(replace_fields(WorkOrder(), fields), actor=actor, lines=fields.lines)


def work_order_update(work_order: WorkOrder, /, *, actor, fields: WorkOrderFields) -> WorkOrder:
    """Replace a work order's fields and lines (PUT)."""
    return work_order_save(replace_fields(work_order, fields), actor=actor, lines=fields.lines)


@transaction.atomic
def work_order_delete(work_order: WorkOrder, /, *, actor) -> None:
    """Delete a work order without batches (one with batches is Locked)."""
    delete_entity(work_order, actor=actor)
