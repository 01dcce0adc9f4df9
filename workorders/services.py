"""Writes to workflows and work orders."""

from django.db import transaction

from customers.statuses import narrow_statuses
from niagara.errors import Locked
from niagara.input_filters import normalize_input_filter
from relations.services import delete_entity, save_entity

from .models import WorkFlow, WorkFlowVersion, WorkOrder, WorkOrderCycle
from .workflows import normalize_steps


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


WORKFLOW_DEFAULTS = {"triggered_by": list, "metadata": dict, "schema_version": "1.0"}


def workflow_create(*, actor, **fields) -> WorkFlow:
    return workflow_save(WorkFlow(**{**_defaults(WORKFLOW_DEFAULTS), **fields}), actor=actor)


def workflow_update(*, actor, work_flow: WorkFlow, **fields) -> WorkFlow:
    """Replace a workflow's definition (PUT)."""
    for name, value in {**_defaults(WORKFLOW_DEFAULTS), **fields}.items():
        setattr(work_flow, name, value)
    return workflow_save(work_flow, actor=actor)


@transaction.atomic
def workflow_delete(*, actor, work_flow: WorkFlow) -> None:
    """Delete a workflow no work order uses (one in use is Locked)."""
    delete_entity(work_flow, actor=actor)


def current_version(work_flow: WorkFlow) -> WorkFlowVersion:
    return work_flow.versions.get(version=work_flow.workflow_version)


WORK_ORDER_DEFAULTS = {
    "description": "",
    "work_order_type": "device",
    "location": None,
    "current_status": None,
    "input_filter": list,
}


def _defaults(defaults: dict) -> dict:
    return {name: value() if callable(value) else value for name, value in defaults.items()}


@transaction.atomic
def work_order_save(work_order: WorkOrder, *, actor, cycles: list[dict] | None = None) -> WorkOrder:
    """Validate and store a work order and, when given, its cycles.

    ``cycles`` items are ``{"needed": n, "work_flow": WorkFlow | definition}``; a definition
    creates the workflow. A COMPLETE or CANCELLED work order's cycles are Locked.
    """
    if cycles is not None and work_order.pk:
        check_cycles_editable(work_order, cycles)
    work_order.full_clean()
    if work_order.current_status:
        [work_order.current_status] = narrow_statuses(
            [work_order.current_status], work_order.project.effective_statuses
        )
    work_order.input_filter = normalize_input_filter(work_order.input_filter)
    save_entity(work_order, actor=actor)
    if cycles is not None:
        replace_cycles(work_order, cycles, actor=actor)
    return work_order


def check_cycles_editable(work_order: WorkOrder, cycles: list[dict]) -> None:
    """Raise ``Locked`` if ``cycles`` would change the cycles of a stored work order that is
    COMPLETE or CANCELLED."""
    stored = WorkOrder.objects.get(pk=work_order.pk)
    current = [(c.needed, c.work_flow_id) for c in stored.cycles.all()]
    wanted = [
        (c["needed"], c["work_flow"].pk if isinstance(c["work_flow"], WorkFlow) else None)
        for c in cycles
    ]
    if stored.is_closed and current != wanted:
        raise Locked(
            f"This resource is currently locked from editing: the work order is "
            f"{stored.status_category} and its cycles cannot change"
        )


@transaction.atomic
def replace_cycles(work_order: WorkOrder, cycles: list[dict], *, actor) -> None:
    """Make the work order's cycles the given list, position by position (callers check
    ``check_cycles_editable`` first).

    A cycle that keeps its workflow keeps the version it was placed on; a new workflow starts
    on its current version.
    """
    existing = list(work_order.cycles.all())
    for position, spec in enumerate(cycles):
        work_flow = spec["work_flow"]
        if not isinstance(work_flow, WorkFlow):
            work_flow = workflow_create(actor=actor, **work_flow)
        cycle = (
            existing[position]
            if position < len(existing)
            else WorkOrderCycle(work_order=work_order)
        )
        if cycle.pk is None or cycle.work_flow_id != work_flow.pk:
            cycle.work_flow = work_flow
            cycle.work_flow_version = current_version(work_flow)
        cycle.position, cycle.needed = position, spec["needed"]
        cycle.full_clean()
        cycle.save()
    WorkOrderCycle.objects.filter(pk__in=[c.pk for c in existing[len(cycles) :]]).delete()


def work_order_create(*, actor, cycles: list[dict] | None = None, **fields) -> WorkOrder:
    work_order = WorkOrder(**{**_defaults(WORK_ORDER_DEFAULTS), **fields})
    return work_order_save(work_order, actor=actor, cycles=cycles or [])


def work_order_update(
    *, actor, work_order: WorkOrder, cycles: list[dict] | None = None, **fields
) -> WorkOrder:
    """Replace a work order's fields (PUT); omitted ``cycles`` means none."""
    for name, value in {**_defaults(WORK_ORDER_DEFAULTS), **fields}.items():
        setattr(work_order, name, value)
    return work_order_save(work_order, actor=actor, cycles=cycles or [])


@transaction.atomic
def work_order_delete(*, actor, work_order: WorkOrder) -> None:
    """Delete a work order without batches (one with batches is Locked)."""
    delete_entity(work_order, actor=actor)
