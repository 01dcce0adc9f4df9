"""Reads of runs, shaped for what renders them: the API's lists, the station, the triage."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.dateparse import parse_datetime

from batches.models import Batch, Cycle
from batches.selectors import batches_of_technician
from customers.statuses import StatusCategory
from notes.models import Note
from units.models import Part, Unit
from users.access import NONE, register_read_rule
from users.models import User

from .models import Context, RunState
from .steps import is_qc


def contexts_for_display() -> QuerySet[Context]:
    """Runs with their version, workflow, unit, batch and cycle: one query a page."""
    related = ("work_flow_version__work_flow", "unit", "batch", "cycle", "resource")
    return Context.objects.select_related(*related).order_by("id")


def readable_runs(access) -> Q:
    """The runs the caller may read: ``context:read`` held, and the batch the run is for (or,
    outside batches, its unit) readable — a technician sees the runs of their batches.
    Registered with the access layer: every caller asks ``access.visible(runs)``."""
    if not access.may_somewhere("context:read"):
        return NONE
    allowed = NONE
    for field, model, alone in (("batch", Batch, False), ("unit", Unit, True)):
        condition = access.condition_through(field, model)
        if condition is NONE:
            continue
        if alone:
            condition &= Q(batch__isnull=True)
        allowed = condition if allowed is NONE else allowed | condition
    return allowed


register_read_rule(Context, readable_runs)


# How many batches the station lists at once: a technician sees their next work, not the
# whole floor (one holding 100,000 batches gets the same page as one holding ten).
STATION_PAGE = 20


def station_batches(access, user, *, page: int = 1) -> tuple[list[Batch], bool]:
    """A page of the batches ``user`` is a technician of that still have devices to take, in
    queue order (the queue's processing order), each with how many are left of how many; and
    whether more follow. Two queries, whatever the batches they hold."""
    waiting = Cycle.objects.filter(
        batch=OuterRef("pk"), category=StatusCategory.PENDING, unit__isnull=True
    )
    mine = access.visible(Batch.objects.filter(pk__in=batches_of_technician(user.pk)))
    start = (max(page, 1) - 1) * STATION_PAGE
    rows = list(
        mine.filter(Exists(waiting))
        .select_related("queue", "work_order__project__program")
        .order_by("queue", "order", "id")[start : start + STATION_PAGE + 1]
    )
    more, rows = len(rows) > STATION_PAGE, rows[:STATION_PAGE]
    to_take = Q(category=StatusCategory.PENDING, unit__isnull=True)
    counts = {
        batch: (left, total)
        for batch, left, total in Cycle.objects.filter(batch__in=rows)
        .values_list("batch")
        .annotate(left=Count("pk", filter=to_take), total=Count("pk"))
        .order_by()
    }
    for batch in rows:
        batch.to_take, batch.total = counts.get(batch.pk, (0, 0))
    return rows, more


def steps_with_closers(run: Context) -> list[dict]:
    """The run's steps, each with the name of who closed it (one query for all of them)."""
    ids = {step["closed_by"] for step in run.last_steps if step.get("closed_by")}
    names = {
        user.public_id: user.get_full_name() or user.username
        for user in User.objects.filter(public_id__in=ids)
    }
    return [
        {**step, "closed_by_name": names.get(step.get("closed_by"), "")} for step in run.last_steps
    ]


def parts_by_customer(customer_ids) -> dict[int, list[Part]]:
    """The parts of these customers, by customer (one query)."""
    found: dict[int, list[Part]] = {}
    for part in Part.objects.filter(customer__in=set(customer_ids)).order_by("label", "id"):
        found.setdefault(part.customer_id, []).append(part)
    return found


# The devices in progress the station lists at once, oldest first.
STATION_RUNS = 50


def station_runs(access, user) -> list[Context]:
    """The running contexts of ``user``'s batches, oldest first and at most ``STATION_RUNS``:
    the devices on their bench and the ones waiting for their QC."""
    mine = batches_of_technician(user.pk)
    running = contexts_for_display().filter(state=RunState.RUNNING, batch__in=mine)
    return list(access.visible(running).order_by("id")[:STATION_RUNS])


def blocked_units(access) -> list[dict]:
    """Each blocked cycle with its unit, the step its last run failed at and the unit's latest
    open issue: the managers' triage list (three queries, whatever its length)."""
    cycles = access.visible(
        Cycle.objects.filter(category=StatusCategory.BLOCKED, unit__isnull=False)
    )
    last_run = Context.objects.filter(cycle=OuterRef("pk")).order_by("-id").values("pk")[:1]
    issue = Note.objects.filter(unit=OuterRef("unit_id"), issue=True, closed=False).order_by("-id")
    rows = list(
        cycles.select_related("unit", "batch", "work_order")
        .annotate(
            last_run=Subquery(last_run),
            issue_label=Subquery(issue.values("label")[:1]),
            issue_text=Subquery(issue.values("text")[:1]),
        )
        .order_by("-updated", "-id")[:50]
    )
    runs = Context.objects.in_bulk([row.last_run for row in rows if row.last_run])
    found = []
    for cycle in rows:
        run = runs.get(cycle.last_run)
        failed = [step for step in (run.last_steps if run else []) if step["type"] == "fail"]
        found.append(
            {
                "cycle": cycle,
                "unit": cycle.unit,
                "failed_step": failed[-1]["label"] if failed else "",
                "failed_message": failed[-1].get("message", "") if failed else "",
                "issue": cycle.issue_label,
                "issue_text": cycle.issue_text,
            }
        )
    return found


QC_ROWS = 15


def waiting_for_qc(access) -> tuple[list[dict], int]:
    """The devices waiting on a QC step that ``access`` may read, oldest wait first: up to
    ``QC_ROWS`` of them, and how many wait in all (read from the runs' ``at_qc`` index,
    whatever the number of runs)."""
    runs = access.visible(Context.objects.filter(at_qc=True))
    rows = [
        {"run": run, "step": _qc_step(run), "since": run.step_started_at}
        for run in runs.select_related(
            "unit", "batch", "work_flow_version", "last_closed_by"
        ).order_by("step_started_at", "id")[:QC_ROWS]
    ]
    total = runs.count() if len(rows) >= QC_ROWS else len(rows)
    return rows, total


def _qc_step(run: Context) -> str:
    steps = run.work_flow_version.steps
    labels = [steps[key].get("label", key) for key in run.current_steps if is_qc(steps[key])]
    return ", ".join(labels)


def device_trace(access, unit: Unit) -> dict:
    """Everything about one device that ``access`` may read: its cycles (with their batch,
    queue and work order), every run with every step (who, when, how long, what was entered)
    and its notes. A fixed number of queries, whatever its history."""
    cycles = list(
        access.visible(Cycle.objects.filter(unit=unit), through="batch")
        .select_related("batch__queue", "work_order", "rework_of")
        .order_by("id")
    )
    runs = list(
        access.visible(Context.objects.filter(unit=unit))
        .select_related("work_flow_version__work_flow", "batch")
        .order_by("id")
    )
    closers = {step.get("closed_by") for run in runs for step in run.last_steps}
    names = {
        user.public_id: user.get_full_name() or user.username
        for user in User.objects.filter(public_id__in=closers - {None})
    }
    for run in runs:
        run.steps = [
            {
                **step,
                "closed_by_name": names.get(step.get("closed_by"), ""),
                "entered": _entered(step),
                "ended": parse_datetime(step.get("ended_at") or ""),
            }
            for step in run.last_steps
        ]
    notes = access.visible(Note.objects.filter(unit=unit)).select_related("created_by")
    return {"cycles": cycles, "runs": runs, "notes": list(notes.order_by("-id")[:50])}


def _entered(step: dict) -> str:
    """What a person entered at a step: a form's fields, a checklist's marks, a machine's
    options."""
    parts = [f"{field.get('label')}: {field.get('value')}" for field in step.get("fields") or []]
    parts += [f"{item.get('slug')}: {item.get('value')}" for item in step.get("items") or []]
    return "; ".join(parts)


def cycle_run_columns() -> dict:
    """A cycle row's latest run and who started it, as columns (``batches`` reads them for its
    cycle pages): two index lookups a row (``context_cycle_idx``), no query more."""
    latest = Context.objects.filter(cycle=OuterRef("pk")).order_by("-id")
    return {
        "context_public_id": Subquery(latest.values("public_id")[:1]),
        "assigned_user_public_id": Subquery(latest.values("started_by__public_id")[:1]),
    }
