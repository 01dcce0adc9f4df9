"""Running units through workflows: starting contexts, completing steps, and the cycles of a
batch taken, restarted or cancelled. The one path the API, the station and commands share.

Lock order (every write here): the context first, then the cycle's work order (taken only
when the cycle's status moves, by ``cycle_set_status``). Most steps lock the run's row alone,
so technicians do not wait on each other. Nothing locks a work order and then a running
context: cancelling locks the cycle's runs before the work order, and batch writes never
delete a cycle in flight.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from batches.models import Batch, Cycle
from batches.services import FINISHED, cycle_set_status
from customers.input_filters import INPUT_FILTER
from customers.statuses import StatusCategory, checked_status, first_of, first_pending
from events.services import customer_of, record
from niagara.errors import Conflict, NiagaraError, NotFound
from notes.services import NoteFields, note_create
from relations.models import RelationType
from relations.services import relate_many, save_entity
from units.models import Part, Unit
from units.services import unit_follow, unit_save
from workorders.models import WorkFlowVersion, WorkOrder
from workorders.services import placement_lock
from workorders.workflows import step_type

from .lookups import Lookups
from .models import Context, RunState
from .steps import Run, is_qc, unsupported_steps


class UnsupportedWorkflow(NiagaraError):
    """The workflow uses a step type the engine does not run: no run starts on it."""


# The category a cycle's status takes from its run.
CATEGORY_OF_STATE = {
    RunState.SUCCEEDED: StatusCategory.COMPLETE,
    RunState.FAILED: StatusCategory.BLOCKED,
    RunState.CANCELLED: StatusCategory.CANCELLED,
}


def context_label(version: WorkFlowVersion, unit: Unit) -> str:
    return f"{version.work_flow.label} v{version.version} on {unit.label}"[:200]


# What a step changes on its run, written in place while the run goes on.
STEP_FIELDS = [
    "at_qc",
    "current_steps",
    "step_started_at",
    "failed_steps",
    "last_steps",
    "data",
    "resource",
    "locked_keys",
    "last_closed_by",
    "updated",
]


def _store_run(run: Run, *, actor) -> Context:
    """Store what ``run`` changed: its unit (validated as any unit write), the context, and the
    cycle's status when the run moved it to another category.

    A run's history is its steps (``last_steps``: each step, who closed it, when, how long);
    the entity history (``/contexts/{id}/diff``) records its start and its end, not every step.
    """
    context = run.context
    if run.unit_changed:
        try:
            unit_save(run.unit, actor=actor)
        except ValidationError as exc:
            raise ValidationError({"close_step": exc.messages}) from exc
    if context.pk is None or not context.active:
        save_entity(context, actor=actor)
    else:
        context.updated = timezone.now()
        context.at_qc = context.waits_on_qc()
        fields = [Context._meta.get_field(name) for name in STEP_FIELDS]
        values = {field.attname: getattr(context, field.attname) for field in fields}
        Context.objects.filter(pk=context.pk).update(**values)
    if context.cycle_id is not None:
        _cycle_follows(context, actor=actor, unit_set_by_step=run.unit_changed)
    return context


def _cycle_follows(context: Context, *, actor, unit_set_by_step: bool = False) -> None:
    """Move the context's cycle to the category its run is in: started → IN_PROGRESS, at a
    QC step → VERIFYING, succeeded → COMPLETE, failed → BLOCKED. The status is the first of
    that category in the project's vocabulary, unless the ending step names one. The unit
    follows into its customer's status of that category, unless the step set its status."""
    cycle = context.cycle
    steps = context.work_flow_version.steps
    if context.state in CATEGORY_OF_STATE:
        category = CATEGORY_OF_STATE[context.state]
    elif any(is_qc(steps[key]) for key in context.current_steps):
        category = StatusCategory.VERIFYING
    else:
        category = StatusCategory.IN_PROGRESS
    if context.state == RunState.RUNNING and cycle.category == category:
        return  # most steps: the cycle stays where it is (nothing more is read)
    statuses = cycle.work_order.project.effective_statuses
    status = None
    if context.last_steps and context.state != RunState.RUNNING:
        named = (steps[context.last_steps[-1]["step_name"]].get("options") or {}).get("status")
        try:
            status = checked_status(named, statuses, owner="the work order's project")
        except ValidationError:
            status = None  # not this project's: the category's first status instead
        if not isinstance(status, dict) or status.get("category") != category:
            status = None
    status = status or first_of(statuses, category)
    if status is None and category == StatusCategory.VERIFYING:
        # A project without a VERIFYING status counts its QC as work in progress.
        category = StatusCategory.IN_PROGRESS
        status = first_of(statuses, category)
        if context.state == RunState.RUNNING and cycle.category == category:
            return
    if status is None:
        raise Conflict(f"The work order's project has no {category} status for its cycles")
    if cycle.category != category or cycle.current_status != status:
        cycle_set_status(cycle, actor=actor, current_status=status)
    if not unit_set_by_step:
        unit_follow(context.unit, category, actor=actor)


def _start(
    *, actor, version: WorkFlowVersion, unit: Unit, batch=None, cycle=None, resource=None
) -> Context:
    problems = unsupported_steps(version.steps, version.starts_at)
    if problems:
        raise UnsupportedWorkflow(
            f"The work flow uses steps the engine does not run: {', '.join(problems)}. "
            "No run was started."
        )
    context = Context(
        label=context_label(version, unit),
        work_flow_version=version,
        unit=unit,
        batch=batch,
        cycle=cycle,
        resource=resource,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        started_at=timezone.now(),
    )
    run = Run(context, actor=actor, now=context.started_at, lookups=Lookups(context))
    run.start()
    return _store_run(run, actor=actor)


@transaction.atomic
def context_start(*, actor, version: WorkFlowVersion, unit: Unit, resource=None) -> Context:
    """Start a run of ``version`` on ``unit`` outside any batch (``POST
    /work-flows/{id}/contexts``), on ``resource`` if one is named."""
    if version.work_flow.applies_to != "UNIT":
        raise UnsupportedWorkflow(
            f"The work flow applies to {version.work_flow.applies_to}, not to units"
        )
    return _start(actor=actor, version=version, unit=unit, resource=resource)


def _locked_context(context: Context) -> Context:
    """Lock the context and read it with everything a step needs."""
    # What every step reads; what only some steps need (the unit's part, the cycle's project)
    # is read when they do.
    fresh = (
        Context.objects.select_for_update(of=("self",))
        .select_related("work_flow_version__work_flow", "unit", "batch", "cycle")
        .filter(pk=context.pk)
        .first()
    )
    if fresh is None:
        raise NotFound(f'A Resource with the id "{context.public_id}" was not found')
    return fresh


@transaction.atomic
def step_close(context: Context, step: str, /, *, actor, close: dict) -> Context:
    """Close or fail the current step ``step`` of a run (``PATCH /contexts/{id}/{step}``)."""
    context = _locked_context(context)
    steps = context.work_flow_version.steps
    if step not in steps:
        raise NotFound(f'The work flow of this context has no step "{step}"')
    if not context.active:
        raise Conflict(f"The context has ended ({context.get_state_display().lower()})")
    if step not in context.current_steps:
        waiting = ", ".join(f'"{key}"' for key in context.current_steps)
        raise Conflict(f'Step "{step}" is not current: the context waits on {waiting}')
    if step_type(steps[step]) not in ("user", "machine"):
        raise Conflict(f'Step "{step}" runs by itself')
    run = Run(context, actor=actor, now=timezone.now(), lookups=Lookups(context))
    run.close(step, close)
    stored = _store_run(run, actor=actor)
    outcome = "failed" if close.get("type") == "fail" else "completed"
    record(
        f"CTX.step-{outcome}",
        context.public_id,
        customer_id=customer_of(context),
        data={
            "context_id": context.public_id,
            "step": step,
            "unit_id": context.unit.public_id,
            "qc": is_qc(steps[step]),
        },
    )
    return stored


@transaction.atomic
def step_fail(context: Context, step: str, /, *, actor, reason: str) -> Context:
    """Fail the current step ``step`` by hand, saying why: the reason is the step's message in
    the run's history and a note on the unit."""
    context = step_close(context, step, actor=actor, close={"type": "fail", "message": reason})
    label = context.work_flow_version.steps[step].get("label") or step
    note_create(
        actor=actor,
        subject=context.unit,
        fields=NoteFields(label=f"Failed: {label}"[:200], text=reason),
    )
    return context


# -- cycles: the batch's units of work ------------------------------------------------


@dataclass(kw_only=True)
class Intake:
    """A device scanned in: its serial number as read, its part (when the customer has more
    than one) and values of the custom fields of its part and its work order."""

    raw_serial_number: str
    part: Part | None = None
    label: str = ""
    values: dict[str, str] = field(default_factory=dict)
    # A device that was produced already runs again only when the person says so.
    rework: bool = False


def _part_for(work_order: WorkOrder, part: Part | None) -> Part:
    customer = work_order.project.program.customer
    if part is not None:
        if part.customer_id != customer.pk:
            raise ValidationError({"part": ValidationError(f"not a part of {customer}", "exists")})
        return part
    parts = list(Part.objects.filter(customer=customer)[:2])
    if len(parts) == 1:
        return parts[0]
    message = "name the device's part" if parts else f"{customer} has no parts yet"
    raise ValidationError({"part": ValidationError(message, code="missing")})


def _checked_values(intake: Intake, part: Part, work_order: WorkOrder) -> list[dict]:
    """Return the part's custom fields the intake gives values for, each value passed by its
    definition (and the serial number by a ``serial_number`` field, if one is defined)."""
    definitions = {f["key"]: f for f in work_order.input_filter}
    definitions.update({f["key"]: f for f in part.input_filter})
    unknown = sorted(set(intake.values) - set(definitions))
    if unknown:
        names = ", ".join(f'"{key}"' for key in unknown)
        raise ValidationError({"values": ValidationError(f"no such field: {names}", "exists")})
    checks = dict(intake.values)
    if "serial_number" in definitions:
        checks.setdefault("serial_number", intake.raw_serial_number)
    problems = {}
    for key, value in checks.items():
        errors = INPUT_FILTER.errors([{**definitions[key], "value": value}])
        if errors:
            where = "raw_serial_number" if key == "serial_number" else f"values.{key}"
            problems[where] = [ValidationError(e.message, code=e.keyword) for e in errors]
    if problems:
        raise ValidationError(problems)
    part_keys = {f["key"] for f in part.input_filter}
    return [
        {**definitions[key], "value": value}
        for key, value in intake.values.items()
        if key in part_keys
    ]


def _unit_for(batch: Batch, intake: Intake, *, actor) -> tuple[Unit, Cycle | None]:
    """Find the unit of the scanned serial or make it; return it with the cycle that produced
    it before, when this is a rework.

    A serial must carry its part's prefix (a scan of the wrong label is refused); a device in
    an unfinished cycle is a Conflict; a device that was produced (a COMPLETE cycle) is a
    Conflict unless ``intake.rework`` says it comes back for rework or as a return.
    """
    work_order = batch.work_order
    part = _part_for(work_order, intake.part)
    serial = intake.raw_serial_number.strip()
    if not serial:
        raise ValidationError(
            {"raw_serial_number": ValidationError("should not be blank", "minLength")}
        )
    if part.serial_prefix and not serial.startswith(part.serial_prefix):
        message = f'should start with "{part.serial_prefix}", the prefix of {part.label} serials'
        raise ValidationError({"raw_serial_number": ValidationError(message, "pattern")})
    values = _checked_values(intake, part, work_order)
    unit = Unit.objects.filter(part=part, raw_serial_number=serial).first()
    reworked = None
    if unit is not None:
        cycles = unit.cycles.select_related("batch").order_by("-id")
        busy = cycles.exclude(category__in=FINISHED).first()
        if busy is not None:
            raise Conflict(
                f'The unit with serial number "{serial}" is already in {busy.label} '
                f"of batch {busy.batch.label}"
            )
        reworked = cycles.filter(category=StatusCategory.COMPLETE).first()
        if reworked is not None and not intake.rework:
            raise Conflict(
                f'The unit with serial number "{serial}" was produced in {reworked.label} of '
                f"batch {reworked.batch.label}: scan it as a rework to run it again"
            )
        if values:
            keys = {item["key"] for item in values}
            unit.input_filter = [f for f in unit.input_filter if f["key"] not in keys] + values
            unit_save(unit, actor=actor)
    else:
        unit = unit_save(
            Unit(
                label=intake.label or serial,
                part=part,
                raw_serial_number=serial,
                current_location=batch.queue.location,
                current_status=first_pending(part.customer.allowed_statuses),
                input_filter=values,
            ),
            actor=actor,
        )
    # Whoever scanned a device in may read it and write its notes (a relation reads).
    if getattr(actor, "is_authenticated", False):
        relate_many([(actor, RelationType.TECH)], [unit])
    return unit, reworked


@transaction.atomic
def cycle_take_next(batch: Batch, /, *, actor, intake: Intake) -> Cycle:
    """Give the scanned device the batch's next pending cycle and start its run.

    Race-free: the work order's row is locked first, so two technicians taking a device of the
    same batch get different cycles. The run's status moves the cycle (IN_PROGRESS…).
    """
    placement = placement_lock(batch.work_order)
    batch = Batch.objects.select_related("queue__location").get(pk=batch.pk)
    batch.work_order = placement.work_order
    cycle = (
        batch.cycles.filter(category=StatusCategory.PENDING, unit__isnull=True)
        .select_related("work_flow_version__work_flow", "work_order__project")
        .order_by("id")
        .first()
    )
    if cycle is None:
        raise Conflict(f"Batch {batch.label} has no pending cycle left")
    unit, reworked = _unit_for(batch, intake, actor=actor)
    cycle.unit, cycle.rework_of = unit, reworked
    cycle.save(update_fields=["unit", "rework_of", "updated"])
    _start(actor=actor, version=cycle.work_flow_version, unit=unit, batch=batch, cycle=cycle)
    return cycle


def _locked_cycle(cycle: Cycle) -> Cycle:
    placement_lock(cycle.work_order)
    fresh = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("batch", "unit", "work_flow_version__work_flow", "work_order__project")
        .filter(pk=cycle.pk)
        .first()
    )
    if fresh is None:
        raise NotFound(f'A Resource with the id "{cycle.public_id}" was not found')
    return fresh


@transaction.atomic
def cycle_restart(cycle: Cycle, /, *, actor) -> Context:
    """Run a blocked cycle's unit through its workflow version again (a new context; the
    failed one stays on record)."""
    cycle = _locked_cycle(cycle)
    if cycle.category != StatusCategory.BLOCKED or cycle.unit is None:
        raise Conflict(f"Only a blocked cycle with a unit can be restarted: {cycle.label} is not")
    return _start(
        actor=actor,
        version=cycle.work_flow_version,
        unit=cycle.unit,
        batch=cycle.batch,
        cycle=cycle,
    )


@transaction.atomic
def cycle_cancel(cycle: Cycle, /, *, actor, reason: str = "") -> Cycle:
    """Cancel a cycle that has not finished: its running context ends, cancelled, and
    ``reason`` is noted on its unit."""
    cycle = Cycle.objects.select_related("work_order__project").get(pk=cycle.pk)
    if cycle.category in FINISHED:
        raise Conflict(f"{cycle.label} has already finished ({cycle.category})")
    statuses = cycle.work_order.project.effective_statuses
    cancelled = first_of(statuses, StatusCategory.CANCELLED)
    if cancelled is None:
        raise Conflict("The work order's project has no CANCELLED status for its cycles")
    return cycle_set_status(
        cycle, actor=actor, current_status=cancelled, reason=reason, still_open=True
    )


def end_cancelled_runs(cycles: QuerySet[Cycle], /, *, actor, reason: str) -> None:
    """The runs of cancelled cycles end, cancelled: a later step close is a Conflict, and
    finishing nothing can move the cycle back. The reason is a note on each unit (on the work
    order for a cycle no device was scanned into), so it shows on the unit's page, in its
    notes and in the history.

    Registered with ``batches.services`` (cycles cancelled by their status, one or in bulk, or
    by the cancel action); runs are locked before the work order, as a step locks them.
    """
    running = list(
        Context.objects.select_for_update(of=("self",))
        .filter(cycle__in=cycles, state=RunState.RUNNING)
        .order_by("pk")
    )
    now = timezone.now()
    for context in running:
        context.state, context.ended_at, context.current_steps = RunState.CANCELLED, now, []
        context.step_started_at = None
        save_entity(context, actor=actor)
    reason = reason.strip()
    scanned = cycles.filter(unit__isnull=False).select_related("unit__part__customer")
    for cycle in scanned.order_by("pk"):
        unit_follow(cycle.unit, StatusCategory.CANCELLED, actor=actor)  # scrapped
        if reason:
            fields = NoteFields(label=f"Cancelled: {cycle.label}"[:200], text=reason)
            note_create(actor=actor, subject=cycle.unit, fields=fields)
    if not reason:
        return
    # Cycles no device was scanned into: one note on each work order, however many.
    waiting = cycles.filter(unit__isnull=True).order_by().values("work_order")
    for row in waiting.annotate(count=Count("pk")):
        work_order = WorkOrder.objects.get(pk=row["work_order"])
        label = f"Cancelled: {row['count']} cycle{'s' if row['count'] != 1 else ''} not started"
        fields = NoteFields(label=label, text=reason)
        note_create(actor=actor, subject=work_order, fields=fields)


def current_context(cycle: Cycle) -> Context | None:
    """The cycle's latest run."""
    return cycle.contexts.order_by("-id").first()
