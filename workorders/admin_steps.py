"""The workflow step builder: steps edited as rows (key, label, type, what to do, next, on
failure), with the JSON kept for power users and every error shown at the row it concerns."""

import json
import re

from django import forms
from django.forms.utils import ErrorList
from django.utils.text import slugify

from niagara.admin_forms import RowsOverJSONWidget, parsed_json

from .workflows import STEP_TYPES, TYPE_RULES

BLANK_ROWS = 3  # below a workflow's steps: save to get more
NEW_WORKFLOW_ROWS = 8  # a new workflow's page: room for a whole provisioning flow at once
ROW_FIELDS = (
    "key",
    "label",
    "type",
    "action",
    "goto",
    "goto_fail",
    "qc",
    "checklist",
    "form",
    "rest",
)
REQUIRED_MARK = "*"  # after a form field's label: the technician must fill it in
# What a user or function step does, chosen from the docs' vocabulary.
ACTIONS = {
    kind: rule["properties"]["options"]["properties"][option]["enum"]
    for kind, option in (("user", "component"), ("function", "function"))
    for rule in [TYPE_RULES[kind]]
}
ACTION_OPTION = {"user": "component", "function": "function"}


def posted_rows(data, name: str) -> list[dict]:
    """Return the builder's rows as posted, blank and removed ones left out."""
    rows = []
    for index in range(int(parsed_json(data.get(f"{name}-rows")) or 0)):
        row = {field: (data.get(f"{name}-{index}-{field}") or "").strip() for field in ROW_FIELDS}
        if data.get(f"{name}-{index}-remove") or not (row["key"] or row["label"]):
            continue
        row["key"] = row["key"] or slugify(row["label"])
        rows.append(row)
    return rows


def duplicate_keys(rows: list[dict]) -> list[str]:
    keys = [row["key"] for row in rows]
    return sorted({key for key in keys if keys.count(key) > 1})


def steps_from_rows(rows: list[dict]) -> dict:
    """Return the steps the rows describe. ``goto`` fields may name a step by key or label;
    what a row does not show (payloads, actions, …) is kept from the step it was read from."""
    by_label = {row["label"].casefold(): row["key"] for row in rows if row["label"]}
    steps = {}
    for row in rows:
        rest = parsed_json(row["rest"]) if row["rest"] else {}
        step = {**(rest if isinstance(rest, dict) else {}), "label": row["label"]}
        step["step_type"] = row["type"]
        for edge, field in (("goto", "goto"), ("goto-fail", "goto_fail")):
            target = row[field]
            step.pop(edge, None)
            if target:
                step[edge] = by_label.get(target.casefold(), target)
        option = ACTION_OPTION.get(row["type"])
        if option and row["action"]:
            options = step.get("options") if isinstance(step.get("options"), dict) else {}
            step["options"] = {"payload": {}, **options, option: row["action"]}
        if row["type"] == "user":
            _qc_and_checklist(step, qc=bool(row["qc"]), checklist=row["checklist"])
            _form_fields(step, row["form"])
        steps[row["key"]] = step
    return steps


def _qc_and_checklist(step: dict, *, qc: bool, checklist: str) -> None:
    """Write a user step's QC flag and checklist (one item per line) as the rows show them: a
    checklist makes the step a task list; items keep what the rows do not show (slug, help)."""
    options = dict(step["options"]) if isinstance(step.get("options"), dict) else {}
    payload = options.get("payload")
    payload = dict(payload) if isinstance(payload, dict) else {}
    options.pop("is_qc", None)
    if qc:
        payload["is_qc"] = True
    else:
        payload.pop("is_qc", None)
    lines = [line.strip() for line in checklist.splitlines() if line.strip()]
    if lines:
        known = {
            item.get("label"): item for item in payload.get("items") or [] if isinstance(item, dict)
        }
        payload["items"] = [known.get(line) or {"label": line} for line in lines]
        options.setdefault("component", "task-list")
    elif options.get("component") == "task-list":
        payload.pop("items", None)  # emptied: the step's check says a task list needs items
    if options or payload:
        step["options"] = {**options, "payload": payload}


def _form_fields(step: dict, form: str) -> None:
    """Write a user step's form (one field per line, ``*`` after a required one's label): a
    form makes the step a data entry; fields keep what the rows do not show (where the value
    goes, the input type); a new field's value goes into the run's data under its name."""
    lines = [line.strip() for line in form.splitlines() if line.strip()]
    options = dict(step["options"]) if isinstance(step.get("options"), dict) else {}
    payload = dict(options.get("payload") or {}) if isinstance(options.get("payload"), dict) else {}
    if not lines:
        if options.get("component") == "manual-data-entry":
            payload.pop("fields", None)
            step["options"] = {**options, "payload": payload}
        return
    known = {
        field.get("label"): field
        for field in payload.get("fields") or []
        if isinstance(field, dict)
    }
    fields = []
    for line in lines:
        required = line.endswith(REQUIRED_MARK)
        label = line.removesuffix(REQUIRED_MARK).strip()
        name = "_".join(re.findall(r"[a-z0-9]+", label.lower())) or "value"
        field = known.get(label) or {"input_type": "input", "entity_field": f"$.{name}"}
        fields.append({**field, "label": label, "required": required})
    payload["fields"] = fields
    options.setdefault("component", "manual-data-entry")
    step["options"] = {**options, "payload": payload}


def form_text(step: dict) -> str:
    """A user step's form as its row shows it: one field per line, required ones marked."""
    options = step.get("options") if isinstance(step.get("options"), dict) else {}
    payload = options.get("payload") if isinstance(options.get("payload"), dict) else {}
    if options.get("component") != "manual-data-entry":
        return ""
    return "\n".join(
        f"{field.get('label', '')}{' ' + REQUIRED_MARK if field.get('required') else ''}"
        for field in payload.get("fields") or []
        if isinstance(field, dict)
    )


def both_checklist_and_form(rows: list[dict]) -> list[str]:
    """The rows asking for a checklist and a form at once (a step shows one of them)."""
    return [row["key"] for row in rows if row["checklist"].strip() and row["form"].strip()]


def _row(key: str, step: dict) -> dict:
    kind = step.get("step_type") or step.get("type") or ""
    options = step.get("options") if isinstance(step.get("options"), dict) else {}
    shown = {"label", "step_type", "type", "goto", "goto-fail"}
    payload = options.get("payload") if isinstance(options.get("payload"), dict) else {}
    items = payload.get("items") if isinstance(payload.get("items"), list) else []
    return {
        "key": key,
        "label": step.get("label", ""),
        "type": kind,
        "action": options.get(ACTION_OPTION.get(kind, ""), ""),
        "goto": step.get("goto", ""),
        "goto_fail": step.get("goto-fail", ""),
        "qc": bool(options.get("is_qc") or payload.get("is_qc")),
        "checklist": "\n".join(
            str(item.get("label", "")) for item in items if isinstance(item, dict)
        ),
        "form": form_text(step),
        "rest": json.dumps({k: v for k, v in step.items() if k not in shown}),
    }


class StepsWidget(RowsOverJSONWidget):
    """Steps as rows a manager fills in, and the JSON behind them for power users.

    The rows win unless the JSON was edited in the same submit; a post without the rows (a
    script, the import) is read as JSON.
    """

    template_name = "workorders/widgets/steps.html"
    step_errors: dict[str, list[str]] = {}

    def document_from_rows(self, data, name):
        return steps_from_rows(posted_rows(data, name))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        steps = parsed_json(value)
        steps = steps if isinstance(steps, dict) else {}
        rows = [_row(key, step) for key, step in steps.items() if isinstance(step, dict)]
        blank = BLANK_ROWS if rows else NEW_WORKFLOW_ROWS
        rows += [_row("", {}) for _ in range(blank)]
        for row in rows:
            row["errors"] = self.step_errors.get(row["key"], [])
        context["widget"].update(
            rows=rows,
            row_count=len(rows),
            types=STEP_TYPES,
            actions=[(kind, values) for kind, values in ACTIONS.items()],
            original=context["widget"]["value"],
            # JSON the rows cannot show (it does not parse, or is not an object) stays in view.
            json_open=bool(value) and not isinstance(parsed_json(value), dict),
        )
        return context


class StepErrorsMixin:
    """For the workflow form: errors about one step move beside that step's row, the field
    keeps those about the whole graph and a pointer to the rows."""

    def clean_steps(self):
        steps = self.cleaned_data.get("steps")
        name = self.add_prefix("steps")
        if f"{name}-rows" in self.data:
            duplicates = duplicate_keys(posted_rows(self.data, name))
            if duplicates:
                raise forms.ValidationError(
                    "Two rows have the same key: %(keys)s", params={"keys": ", ".join(duplicates)}
                )
            both = both_checklist_and_form(posted_rows(self.data, name))
            if both:
                raise forms.ValidationError(
                    [
                        forms.ValidationError(
                            "a step has a checklist or form fields, not both",
                            params={"step": key},
                        )
                        for key in both
                    ]
                )
        return steps

    def clean(self):
        cleaned = super().clean()
        rows = posted_rows(self.data, self.add_prefix("steps"))
        if not cleaned.get("starts_at") and rows:
            cleaned["starts_at"] = rows[0]["key"]
        return cleaned

    def full_clean(self):
        super().full_clean()
        if "steps" not in self._errors:
            return
        by_step: dict[str, list[str]] = {}
        general = ErrorList()
        for error in self._errors.as_data()["steps"]:
            params = error.params or {}
            step = params.get("step") or (params.get("path") or (None,))[0]
            message = error.message % params if params else error.message
            if step:
                message = message.removeprefix(f"{step} > ").removeprefix(f"{step}: ")
                by_step.setdefault(step, []).append(message)
            else:
                general.append(message)
        if by_step:
            general.append(
                f"{len(by_step)} step(s) have problems; they are marked in the rows below."
            )
        self._errors["steps"] = general
        self.fields["steps"].widget.step_errors = by_step
