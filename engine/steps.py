"""The step interpreter: moves one context through its workflow version's steps, in memory.

``Run`` reads the context, its unit and the steps it needs (``Lookups``) and changes them;
``engine.services`` locks, calls it and stores what changed. Automatic steps (function, choice,
pass) run as soon as they are reached; the run then waits on an interactive step (user,
machine) or has ended (success, fail).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from customers.statuses import checked_status
from niagara.errors import Conflict
from workorders.workflows import reachable, step_type

from .lookups import Lookups
from .models import Context, RunState, is_qc, payload

SUPPORTED_TYPES = frozenset({"user", "machine", "function", "choice", "pass", "success", "fail"})
INTERACTIVE_TYPES = frozenset({"user", "machine"})
# A run that passes this many automatic steps in one go is looping: it fails.
MAX_AUTOMATIC_STEPS = 500
TASK_VALUES = ("ok", "na", "bad")


class StepProblem(Exception):
    """An automatic failure of a step (a function that cannot do its work): retried as the
    step's ``on_error.retry`` says, then the run takes the step's failure edge."""


def unsupported_steps(steps: dict, starts_at: str) -> list[str]:
    """Return ``"key" (type)`` for each step a run could reach that the engine does not run."""
    return [
        f'"{key}" ({step_type(steps[key])})'
        for key in sorted(reachable(steps, starts_at))
        if step_type(steps[key]) not in SUPPORTED_TYPES
    ]


def failure_edge(step: dict) -> str | None:
    return step.get("goto-fail") or step.get("goto_fail")


def task_items(step: dict) -> list[dict]:
    """The checklist of a task-list step, each item with its slug (from its label if unset)."""
    return [
        {**item, "slug": item.get("slug") or slugify(item.get("label", "")) or f"item-{n + 1}"}
        for n, item in enumerate(payload(step).get("items") or [])
    ]


def _close_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({f"close_step.{field}": ValidationError(message, code=code)})


def _compare(value, operator: str, operand: str) -> bool:
    left, right = value, operand
    try:
        left, right = float(value), float(operand)
    except (TypeError, ValueError):
        left, right = ("" if value is None else str(value)), str(operand)
        if operator not in ("equals", "not_equals"):
            return False  # ordering needs numbers
    return {
        "equals": left == right,
        "not_equals": left != right,
        "greater_than": left > right,
        "greater_than_equals": left >= right,
        "less_than": left < right,
        "less_than_equals": left <= right,
    }[operator]


def data_path(path: str) -> list[str]:
    """``"$.device.imei"`` or ``"device.imei"`` → ``["device", "imei"]``."""
    return [part for part in path.removeprefix("$").split(".") if part]


def read_data(data: dict, path: str):
    value = data
    for part in data_path(path):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


class Run:
    """One step or one start of ``context``: what it does to the context and its unit."""

    def __init__(self, context: Context, *, actor, now: datetime, lookups: Lookups):
        self.context = context
        self.steps = context.work_flow_version.steps
        self.unit = context.unit
        self.actor = actor
        self.now = now
        self.lookups = lookups
        self.unit_changed = False

    # -- entering and leaving steps ---------------------------------------------------

    def start(self) -> None:
        self.context.started_at = self.now
        self._enter(self.context.work_flow_version.starts_at)

    def _enter(self, key: str | None) -> None:
        """Go to step ``key`` and run automatic steps until the run waits or ends."""
        for _ in range(MAX_AUTOMATIC_STEPS):
            if key is None:
                return
            step = self.steps[key]
            kind = step_type(step)
            self.context.current_steps = [key]
            self.context.step_started_at = self.now
            if kind in INTERACTIVE_TYPES:
                return
            if kind in ("success", "fail"):
                self._record(key, "close")
                self._end(RunState.SUCCEEDED if kind == "success" else RunState.FAILED)
                return
            key = self._run_automatic(key, step)
        self._record(key, "fail", did_error=True, message="too many automatic steps in a row")
        self._end(RunState.FAILED)

    def _end(self, state: str) -> None:
        self.context.state = state
        self.context.current_steps = []
        self.context.step_started_at = None
        self.context.ended_at = self.now

    def _leave_failed(self, key: str, step: dict) -> str | None:
        """Follow the step's failure edge; a step without one ends the run as failed."""
        target = failure_edge(step)
        if target is None:
            self._end(RunState.FAILED)
        return target

    def _record(self, key: str, how: str, *, did_error=False, by=None, **details) -> None:
        started = self.context.step_started_at or self.now
        self.context.last_steps = [
            *self.context.last_steps,
            {
                "step_name": key,
                "label": self.steps[key].get("label", key),
                "step_type": step_type(self.steps[key]),
                "type": how,
                "started_at": started.isoformat(),
                "ended_at": self.now.isoformat(),
                "time_to_run": max(0, round((self.now - started).total_seconds() * 1000)),
                "did_error": did_error,
                "did_timeout": False,
                "closed_by": getattr(by, "public_id", None),
                **details,
            },
        ]
        if how == "fail":
            self._count_failure(key)

    def _count_failure(self, key: str) -> None:
        counts = {item["step"]: item["failed_count"] for item in self.context.failed_steps}
        counts[key] = counts.get(key, 0) + 1
        self.context.failed_steps = [
            {"step": step, "failed_count": count} for step, count in counts.items()
        ]

    # -- automatic steps --------------------------------------------------------------

    def _run_automatic(self, key: str, step: dict) -> str | None:
        kind = step_type(step)
        if kind == "choice":
            holds = all(
                _compare(
                    read_data(self.context.data, rule["variable"]),
                    rule["operator"],
                    rule["operand"],
                )
                for rule in step["decision"]
            )
            self._record(key, "close", decision=holds)
            return step["goto"] if holds else self._leave_failed(key, step)
        attempts = 1 + ((step.get("on_error") or {}).get("retry") or 0)
        problem = None
        for attempt in range(attempts):
            try:
                if kind == "function":
                    self._function(step)
                self._write_values(step)
                problem = None
                break
            except StepProblem as exc:
                problem = exc
                if attempt + 1 < attempts:
                    self._count_failure(key)  # a retry: counted, then tried again
        if problem is not None:
            self._record(key, "fail", did_error=True, message=str(problem))
            return self._leave_failed(key, step)
        self._record(key, "close")
        return step["goto"]

    def _function(self, step: dict) -> None:
        options = step["options"]
        name, args = options["function"], options.get("payload") or {}
        if name == "set-entity-status":
            self._set_status(args.get("status"))
        elif name == "set-entity-location":
            self._set_location(args)
        else:  # allocate-unit-to-project (the schemas also spell it allocate-units-…)
            self._allocate(args)
        self.unit_changed = True

    def _set_status(self, status) -> None:
        statuses = self.lookups.customer_statuses(self.unit)
        try:
            found = checked_status(status, statuses, owner="the unit's customer")
        except ValidationError as exc:
            raise StepProblem(exc.messages[0]) from exc
        if not isinstance(found, dict):
            raise StepProblem("set-entity-status needs a status of the unit's customer")
        self.unit.current_status = found

    def _set_location(self, args: dict) -> None:
        how = args.get("location_type")
        if how == "location_id":
            location = self.lookups.location(args.get("location_id"))
        elif how == "context":
            location = self.lookups.location(read_data(self.context.data, "location_id"))
        elif how == "work_order":
            location = self.lookups.work_order_location(self.context)
        elif how in ("resource_id", "sub_resource_id"):
            # On a resource (or a port of one): the unit is where the resource is, and the
            # run is on that resource from now on.
            if how == "resource_id":
                resource = self.lookups.resource(args.get("resource_id"))
            else:
                port = self.lookups.sub_resource(args.get("sub_resource_id"))
                resource = port.resource if port is not None else None
            if resource is None:
                raise StepProblem(f"set-entity-location names no {how.removesuffix('_id')}")
            self.context.resource = resource
            location = resource.location
        else:
            raise StepProblem(f'set-entity-location cannot place a unit by "{how}"')
        if location is None:
            raise StepProblem("set-entity-location names no location")
        self.unit.current_location = location

    def _allocate(self, args: dict) -> None:
        part_id = args.get("part_id")
        if part_id is not None and part_id != self.unit.part.public_id:
            raise StepProblem(f'the unit is not of part "{part_id}"')
        project = self.lookups.project(args.get("project_id"))
        if project is None or project.program.customer_id != self.unit.part.customer_id:
            raise StepProblem("allocate-unit-to-project names no project of the unit's customer")
        self.unit.project = project

    def _write_values(self, step: dict) -> None:
        """Write the step's ``context`` values into the run's data (locked keys stay)."""
        data, locked = dict(self.context.data), set(self.context.locked_keys)
        for item in step.get("context") or []:
            if item["key"] in locked:
                if item.get("ignore"):
                    continue
                raise StepProblem(f'context key "{item["key"]}" is locked')
            data[item["key"]] = item["value"]
            if item.get("lock"):
                locked.add(item["key"])
        self.context.data, self.context.locked_keys = data, sorted(locked)

    # -- closing an interactive step ----------------------------------------------------

    def close(self, key: str, close: dict) -> None:
        """Close (or fail) the current interactive step ``key`` as ``close`` says.

        A body that does not fit the step is a ``ValidationError`` (nothing changes); a QC
        step closed by whoever closed the step before it is a ``Conflict``.
        """
        step = self.steps[key]
        if close.get("type") == "fail":
            reason = {"message": close["message"]} if close.get("message") else {}
            self._record(key, "fail", by=self.actor, **reason)
            self.context.last_closed_by = self.actor
            self._enter(self._leave_failed(key, step))
            return
        if is_qc(step) and self.context.last_closed_by_id == getattr(self.actor, "pk", None):
            raise Conflict(
                f'Step "{key}" is a QC step: someone other than who closed the step before '
                "it must close it"
            )
        component = (step.get("options") or {}).get("component")
        details, bad = {}, []
        if step_type(step) == "machine":
            details["options"] = close.get("options") or {}
        elif component == "manual-data-entry":
            details["fields"] = self._enter_fields(step, close.get("fields"))
        elif component == "task-list":
            details["items"], bad = self._check_items(step, close.get("items"))
        elif component == "follow-pdf-instructions":
            wanted = payload(step).get("attachment_id")
            if wanted and close.get("attachment_id") != wanted:
                raise _close_error("attachment_id", f'should be "{wanted}"', "const")
        self.context.last_closed_by = self.actor
        if bad:
            message = "marked bad: " + ", ".join(bad)
            self._record(key, "fail", by=self.actor, message=message, **details)
            self._enter(self._leave_failed(key, step))
            return
        try:
            self._write_values(step)
        except StepProblem as exc:
            self._record(key, "fail", by=self.actor, did_error=True, message=str(exc), **details)
            self._enter(self._leave_failed(key, step))
            return
        self._record(key, "close", by=self.actor, **details)
        self._enter(step["goto"])

    def _enter_fields(self, step: dict, given) -> list[dict]:
        """Write a manual-data-entry step's values where its fields say: ``$…`` paths into the
        run's data, other names onto the unit (its label, tenant part number or one of its
        part's custom fields) or, failing those, into the data."""
        wanted = payload(step).get("fields") or []
        if not isinstance(given, list):
            raise _close_error("fields", "should list the step's fields", "missing")
        by_name = {}
        for item in given:
            name = item.get("entity_field") or item.get("label")
            by_name[name] = item.get("value")
        entered = []
        for field in wanted:
            name = field.get("entity_field") or field.get("label")
            value = by_name.pop(name, None)
            if value is None:
                value = by_name.pop(field.get("label"), None)  # sent by label
            if value is None or not str(value).strip():
                if field.get("required"):
                    raise _close_error("fields", f'"{field.get("label")}" is required', "missing")
                continue
            self._write_field(name, str(value))
            entered.append({"label": field.get("label"), "value": str(value)})
        if by_name:
            unknown = ", ".join(f'"{name}"' for name in by_name)
            raise _close_error("fields", f"the step has no field {unknown}", "additionalProperties")
        return entered

    def _write_field(self, name: str, value: str) -> None:
        if name.startswith("$") or not name:
            path = data_path(name)
            if path and path[0] in self.context.locked_keys:
                raise _close_error("fields", f'"{name}" is locked', "locked")
            data = dict(self.context.data)
            target = data
            for part in path[:-1]:
                target[part] = dict(target.get(part) or {})
                target = target[part]
            if path:
                target[path[-1]] = value
            self.context.data = data
            return
        if name in ("label", "tenant_part_number"):
            setattr(self.unit, name, value)
            self.unit_changed = True
            return
        definition = next((f for f in self.unit.part.input_filter if f["key"] == name), None)
        if definition is None:
            self.context.data = {**self.context.data, name: value}
            return
        own = [f for f in self.unit.input_filter if f["key"] != name]
        self.unit.input_filter = [*own, {**definition, "value": value}]
        self.unit_changed = True

    def _check_items(self, step: dict, given) -> tuple[list[dict], list[str]]:
        items = task_items(step)
        if not isinstance(given, list):
            raise _close_error("items", "should evaluate every item of the list", "missing")
        answers = {item.get("slug"): item.get("value") for item in given}
        unknown = set(answers) - {item["slug"] for item in items}
        if unknown:
            names = ", ".join(f'"{slug}"' for slug in sorted(map(str, unknown)))
            raise _close_error("items", f"the list has no item {names}", "additionalProperties")
        open_items = [
            item["label"] for item in items if answers.get(item["slug"]) not in TASK_VALUES
        ]
        if open_items:
            names = ", ".join(f'"{label}"' for label in open_items)
            raise _close_error("items", f"not evaluated (ok, na or bad): {names}", "missing")
        bad = [item["label"] for item in items if answers[item["slug"]] == "bad"]
        evaluated = [{"slug": item["slug"], "value": answers[item["slug"]]} for item in items]
        return evaluated, bad
