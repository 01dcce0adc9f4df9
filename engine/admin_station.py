"""The technician's station (in the admin): their batches, "next device" by scanning a serial,
the current step of each device with its instructions, fields or checklist, complete and fail
buttons, notes; and the managers' blocked-units triage on the cockpit. Every write goes
through ``engine.services`` / ``notes.services``, as the API's do."""

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from attachments.downloads import file_response
from attachments.selectors import step_document
from batches.models import Batch, Cycle
from customers.statuses import StatusCategory
from niagara.access import access_for
from niagara.errors import NiagaraError
from notes.services import NoteFields, note_create
from units.models import Part
from units.selectors import units_with_serial
from workorders.boms import boms_at
from workorders.workflows import step_type

from . import services
from .models import Context, RunState
from .selectors import (
    STATION_RUNS,
    blocked_units,
    parts_by_customer,
    station_batches,
    station_runs,
    steps_with_closers,
    waiting_for_qc,
)
from .steps import is_qc, payload, task_items

TASK_CHOICES = [("ok", "OK"), ("na", "N/A"), ("bad", "Bad")]


def _problem_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(getattr(exc, "detail", exc))


def _may_step(request) -> None:
    if not access_for(request).may_somewhere("context:step"):
        raise PermissionDenied


def station_view(admin_site, request):
    """Home of the station: the batches to take devices from, and the runs in progress."""
    _may_step(request)
    access = access_for(request)
    runs = station_runs(access, request.user)
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    batches, more = station_batches(access, request.user, page=page)
    parts = parts_by_customer([batch.work_order.project.program.customer_id for batch in batches])
    for batch in batches:
        # A customer with several parts: the technician says which one the device is.
        batch.parts = parts.get(batch.work_order.project.program.customer_id, [])
    chosen = request.GET.get("batch", "")
    selected = next((b for b in batches if str(b.pk) == chosen), batches[0] if batches else None)
    context = {
        **admin_site.each_context(request),
        "title": "Technician station",
        # A tablet at the bench: the page has the whole width (Home is in the breadcrumbs).
        "is_nav_sidebar_enabled": False,
        "batches": batches,
        "selected": selected,
        "several_parts": any(len(batch.parts) > 1 for batch in batches),
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if more else None,
        "runs": [_run_row(run) for run in runs],
        "runs_capped": len(runs) >= STATION_RUNS,
    }
    return TemplateResponse(request, "admin/engine/station.html", context)


def _run_row(run: Context) -> dict:
    steps = run.work_flow_version.steps
    current = [steps[key] for key in run.current_steps]
    return {
        "run": run,
        "step": current[0]["label"] if current else "",
        "qc": any(is_qc(step) for step in current),
    }


def scan_view(admin_site, request):
    """The station's one scan field: find the device wherever it is. A device in progress
    opens on its current step; one that was produced shows its run (its history) unless the
    technician says it comes back for rework; any other starts in the chosen batch."""
    _may_step(request)
    if request.method != "POST":
        return redirect("admin:engine_station")
    access = access_for(request)
    serial = request.POST.get("serial", "").strip()
    rework = request.POST.get("rework") == "on"
    if not serial:
        messages.error(request, "Scan a serial number.")
        return redirect("admin:engine_station")
    runs = access.visible(Context.objects.filter(unit__in=units_with_serial(serial)))
    running = runs.filter(state=RunState.RUNNING).order_by("-pk").first()
    if running is not None:
        return redirect("admin:engine_station_run", running.pk)
    produced = runs.filter(cycle__category=StatusCategory.COMPLETE).order_by("-pk").first()
    if produced is not None and not rework:
        messages.warning(
            request,
            f"{serial} was produced already: this is its last run. To run it again, scan it "
            "with “Rework or return” ticked.",
        )
        return redirect("admin:engine_station_run", produced.pk)
    batch = access.visible(Batch.objects.select_related("work_order"))
    batch = batch.filter(pk=request.POST.get("batch") or None).first()
    if batch is None:
        messages.error(request, f"{serial}: choose the batch the device goes into.")
        return redirect("admin:engine_station")
    return _take(request, access, batch, serial, rework=rework)


def take_view(admin_site, request, batch_id):
    """Scan a device into the batch's next cycle (a barcode scanner types the serial and
    Enter), then open its run."""
    _may_step(request)
    if request.method != "POST":
        return redirect("admin:engine_station")
    access = access_for(request)
    batch = access.visible(Batch.objects.select_related("work_order")).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    serial = request.POST.get("serial", "").strip()
    return _take(request, access, batch, serial, rework=request.POST.get("rework") == "on")


def _take(request, access, batch: Batch, serial: str, *, rework: bool):
    try:
        if not access.allows("context:create", batch):
            raise PermissionDenied
        part = Part.objects.filter(pk=request.POST.get("part") or None).first()
        intake = services.Intake(raw_serial_number=serial, part=part, rework=rework)
        cycle = services.cycle_take_next(batch, actor=request.user, intake=intake)
    except (ValidationError, NiagaraError) as exc:
        messages.error(request, f"{serial or 'No serial number'}: {_problem_text(exc)}")
        return redirect("admin:engine_station")
    run = services.current_context(cycle)
    return redirect("admin:engine_station_run", run.pk)


def _readable_run(request, run_id) -> Context:
    contexts = Context.objects.select_related(
        "work_flow_version__work_flow", "unit__part", "unit__current_location", "batch", "cycle"
    )
    run = access_for(request).visible(contexts).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def _current_step(run: Context) -> tuple[str, dict] | tuple[None, None]:
    if not run.current_steps:
        return None, None
    key = run.current_steps[0]
    return key, run.work_flow_version.steps[key]


def _close_body(key: str, step: dict, post) -> dict:
    """The ``close_step`` the API would take, read from the station's form."""
    if post.get("action") == "fail":
        return {"step": key, "type": "fail"}
    close = {"step": key, "type": "close"}
    component = (step.get("options") or {}).get("component")
    if component == "manual-data-entry":
        fields = payload(step).get("fields") or []
        close["fields"] = [
            {"label": field.get("label"), "value": post.get(f"field-{n}", "")}
            for n, field in enumerate(fields)
        ]
    elif component == "task-list":
        close["items"] = [
            {"slug": item["slug"], "value": post.get(f"item-{item['slug']}") or None}
            for item in task_items(step)
        ]
    elif component == "follow-pdf-instructions" and payload(step).get("attachment_id"):
        close["attachment_id"] = payload(step)["attachment_id"]
    return close


def _confirmed(admin_site, request, *, title: str, question: str, confirm_label: str, back):
    """Return the page asking to confirm a destructive action with a reason, or None once the
    person confirmed and gave one (the first click changes nothing)."""
    reason = request.POST.get("reason", "").strip()
    if request.POST.get("confirm") == "1" and reason:
        return None
    keep = [(name, request.POST[name]) for name in ("action", "next") if name in request.POST]
    context = {
        **admin_site.each_context(request),
        "title": title,
        "question": question,
        "confirm_label": confirm_label,
        "back": back,
        "keep": keep,
        "reason": reason,
        "error": "Say why." if request.POST.get("confirm") == "1" else "",
    }
    return TemplateResponse(request, "admin/engine/confirm.html", context)


def run_view(admin_site, request, run_id):
    """One device's run: the current step (instructions, fields, checklist) with complete and
    fail buttons, its step history, and its notes. Failing asks to confirm, with a reason."""
    _may_step(request)
    run = _readable_run(request, run_id)
    key, step = _current_step(run)
    if request.method == "POST" and key is not None:
        target = run.batch if run.batch_id is not None else run.unit
        failing = request.POST.get("action") == "fail"
        if failing:
            asking = _confirmed(
                admin_site,
                request,
                title=f"Fail {step['label']}",
                question=f"Fail “{step['label']}” for {run.unit.label}? The unit takes the "
                "step's failure path.",
                confirm_label="Fail the step",
                back=reverse("admin:engine_station_run", args=[run.pk]),
            )
            if asking is not None:
                return asking
        try:
            if not access_for(request).allows("context:step", target):
                raise PermissionDenied
            if failing:
                services.step_fail(
                    run, key, actor=request.user, reason=request.POST["reason"].strip()
                )
            else:
                services.step_close(
                    run, key, actor=request.user, close=_close_body(key, step, request.POST)
                )
        except (ValidationError, NiagaraError) as exc:
            messages.error(request, f"{step['label']}: {_problem_text(exc)}")
            return redirect("admin:engine_station_run", run.pk)
        run.refresh_from_db()
        if not run.active:
            outcome = "completed" if run.state == "SUCCEEDED" else run.get_state_display().lower()
            messages.success(request, f"{run.unit.label}: {outcome}.")
            return redirect("admin:engine_station")
        return redirect("admin:engine_station_run", run.pk)
    context = {
        **admin_site.each_context(request),
        "title": f"{run.unit.label} — {run.work_flow_version.work_flow.label}",
        "is_nav_sidebar_enabled": False,
        "run": run,
        "step_key": key,
        "step": step,
        "step_kind": step_type(step) if step else None,
        "component": ((step or {}).get("options") or {}).get("component"),
        "document": step_document(run, payload(step).get("attachment_id")) if step else None,
        "fields": list(enumerate(payload(step).get("fields") or [])) if step else [],
        "items": task_items(step) if step else [],
        "task_choices": TASK_CHOICES,
        "qc": bool(step and is_qc(step)),
        "history": steps_with_closers(run),
        "notes": run.unit.notes.select_related("created_by").order_by("-id")[:20],
        "bom": _bom(run),
    }
    return TemplateResponse(request, "admin/engine/run.html", context)


@xframe_options_sameorigin
@csp_exempt()
def document_view(admin_site, request, run_id, attachment_id):
    """The PDF a step of the run shows (``follow-pdf-instructions``), for whoever may read the
    run: the technician at the bench reads the instructions without reading every file. Opened
    in a tab of its own (a PDF runs none of our scripts: no CSP of pages), or framed by a page
    of ours (same origin)."""
    _may_step(request)
    run = _readable_run(request, run_id)
    document = step_document(run, attachment_id)
    if document is None:
        raise Http404
    return file_response(document)


def _bom(run: Context):
    """The parts the run's workflow allocates, and how many are free where the device is."""
    location = run.unit.current_location
    if location is None:
        return None
    bom = boms_at(run.work_flow_version.work_flow, [location])[location.pk]
    return bom if bom.parts else None


def note_view(admin_site, request, run_id):
    """Write a note on the run's unit (an issue asks a manager for help)."""
    _may_step(request)
    run = _readable_run(request, run_id)
    if request.method == "POST":
        try:
            if not access_for(request).allows("note:create", run.unit):
                raise PermissionDenied
            note_create(
                actor=request.user,
                subject=run.unit,
                fields=NoteFields(
                    label=request.POST.get("label", "").strip() or "Note",
                    text=request.POST.get("text", ""),
                    issue=request.POST.get("issue") == "on",
                ),
            )
            messages.success(request, "Note saved.")
        except ValidationError as exc:
            messages.error(request, f"Note: {_problem_text(exc)}")
    return redirect("admin:engine_station_run", run.pk)


def cycle_action_view(admin_site, request, cycle_id, action):
    """Restart or cancel a blocked cycle (from the triage list). Cancelling asks to confirm,
    with a reason."""
    if request.method != "POST":
        return redirect("admin:index")
    access = access_for(request)
    cycle = access.visible(Cycle.objects.select_related("batch"), through="batch")
    cycle = cycle.filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    if not access.allows("context:step", cycle.batch):
        raise PermissionDenied
    if action != "restart":
        asking = _confirmed(
            admin_site,
            request,
            title=f"Cancel {cycle.label}",
            question=f"Cancel {cycle.label} of batch {cycle.batch.label}? Its run ends and the "
            "unit is scrapped; it stays cancelled.",
            confirm_label="Cancel the unit",
            back=request.POST.get("next") or reverse("admin:index"),
        )
        if asking is not None:
            return asking
    try:
        if action == "restart":
            services.cycle_restart(cycle, actor=request.user)
        else:
            services.cycle_cancel(cycle, actor=request.user, reason=request.POST["reason"])
        done = "restarted" if action == "restart" else "cancelled"
        messages.success(request, f"{cycle.label}: {done}.")
    except (ValidationError, NiagaraError) as exc:
        messages.error(request, f"{cycle.label}: {_problem_text(exc)}")
    return redirect(request.POST.get("next") or reverse("admin:index"))


def triage_panel(request) -> dict | None:
    """The cockpit's blocked units: which device, the step it failed at, its open issue."""
    access = access_for(request)
    if not access.may_somewhere("batch:read"):
        return None
    return {
        "title": "Blocked units",
        "template": "admin/cockpit/triage.html",
        "rows": blocked_units(access),
        "may_step": access.may_somewhere("context:step"),
    }


def qc_panel(request) -> dict | None:
    """The cockpit's QC queue: the devices waiting on a second person's check, oldest first,
    each a link to its run (for whoever may step; a manager sees the queue drain)."""
    access = access_for(request)
    if not access.may_somewhere("context:step"):
        return None
    rows, total = waiting_for_qc(access)
    return {
        "title": "Waiting for QC",
        "template": "admin/cockpit/qc.html",
        "rows": rows,
        "total": total,
    }
