"""Reports: a definition checked once, and its rows read with the reader's access — a page of
them in the answer, all of them, streamed, in the CSV."""

import csv
import logging
from collections.abc import Iterator
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from niagara.access import visible
from niagara.spreadsheets import safe_cell

from .catalogue import BASES
from .models import Report

logger = logging.getLogger(__name__)

OPERATORS = (
    "is_blank",
    "is_not_blank",
    "contains",
    "equals",
    "not_equals",
    "greater_than",
    "greater_than_equals",
    "less_than",
    "less_than_equals",
)
LOOKUPS = {
    "contains": "icontains",
    "equals": "exact",
    "not_equals": "exact",
    "greater_than": "gt",
    "greater_than_equals": "gte",
    "less_than": "lt",
    "less_than_equals": "lte",
}
MAX_FIELDS = 50
SHOWN_ROWS = 100  # in the JSON answer; the CSV has them all


def _field_at(model, path: str) -> models.Field | None:
    """The model field ``path`` ends on (none for a key inside a JSON document)."""
    field = None
    for name in path.split("__"):
        if field is not None and not field.is_relation:
            return None  # inside a document
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.is_relation:
            model = field.related_model
    return field


def _part(definition: dict, name: str) -> dict:
    part = definition.get(name) or {}
    return {
        "fields": list(part.get("fields") or []),
        "query": list(part.get("query") or []),
        "aliases": list(part.get("aliases") or []),
    }


def check_definition(base_entity: str, definition: dict) -> None:
    """Refuse a report that names what its base entity does not have."""
    if base_entity not in BASES:
        names = ", ".join(BASES)
        raise ValidationError({"base_entity": f'one of {names}, not "{base_entity}"'})
    base = BASES[base_entity]
    core, custom = _part(definition, "core_fields"), _part(definition, "custom_fields")
    errors = {}
    unknown = [key for key in core["fields"] if key not in base.fields]
    if unknown:
        errors["core_fields.fields"] = f"not a {base_entity} field: {', '.join(unknown)}"
    if not core["fields"] and not custom["fields"]:
        errors["core_fields.fields"] = "name at least one field"
    if len(core["fields"]) + len(custom["fields"]) > MAX_FIELDS:
        errors["core_fields.fields"] = f"at most {MAX_FIELDS} fields"
    if custom["fields"] and not base.custom:
        errors["custom_fields.fields"] = f"{base_entity} has no custom fields"
    for where, part, known in (("core_fields", core, base.fields), ("custom_fields", custom, None)):
        for number, item in enumerate(part["query"]):
            field = item.get("field")
            if known is not None and field not in known:
                errors[f"{where}.query.{number}.field"] = f'not a {base_entity} field: "{field}"'
            elif known is not None:
                try:
                    _condition(base.model, known[field][1], item)
                except ValidationError as exc:
                    errors[f"{where}.query.{number}.operand"] = exc.messages[0]
        for number, alias in enumerate(part["aliases"]):
            if alias.get("key") not in part["fields"]:
                errors[f"{where}.aliases.{number}.key"] = "alias a field the report shows"
    if errors:
        raise ValidationError(errors)


def _operand(field, operand):
    if operand is None:
        raise ValidationError("this operator needs an operand")
    if isinstance(field, models.IntegerField):
        try:
            return int(operand)
        except (TypeError, ValueError):
            raise ValidationError(f'"{operand}" is not a whole number') from None
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(str(operand))
        if parsed is None:
            raise ValidationError(f'"{operand}" is not a date-time (ISO 8601)') from None
        return parsed
    return str(operand)


def _condition(model, path: str, item: dict) -> Q:
    operator = item.get("operators") or item.get("operator")
    field = _field_at(model, path)
    textual = field is None or isinstance(field, models.CharField | models.TextField)
    if operator in ("is_blank", "is_not_blank"):
        blank = Q(**{f"{path}__isnull": True})
        if textual:
            blank |= Q(**{path: ""})
        return blank if operator == "is_blank" else ~blank
    if operator not in LOOKUPS:
        raise ValidationError(f'"{operator}" is not an operator')
    if operator == "contains" and not textual:
        raise ValidationError("contains applies to text")
    condition = Q(**{f"{path}__{LOOKUPS[operator]}": _operand(field, item.get("operand"))})
    return ~condition if operator == "not_equals" else condition


def report_create(*, actor, base_entity: str, definition: dict, request=None) -> Report:
    """Store a report; one of more than ``REPORTS_BUILT_FROM_ROWS`` rows gets its CSV built
    ahead by a worker (its download streams the live rows until then)."""
    check_definition(base_entity, definition)
    report = Report.objects.create(created_by=actor, base_entity=base_entity, definition=definition)
    if request is not None and is_large(report, request):
        from .tasks import build_report_file

        transaction.on_commit(lambda: _enqueue_build(build_report_file, report.pk))
    return report


def is_large(report: Report, request) -> bool:
    """Whether the report has more than ``REPORTS_BUILT_FROM_ROWS`` rows (counted no further)."""
    threshold = settings.REPORTS_BUILT_FROM_ROWS
    return _rows(report, request)[: threshold + 1].count() > threshold


def _enqueue_build(build, report_pk: int) -> None:
    try:
        build.enqueue(report_pk)
    except Exception:  # the queue down: the download streams instead
        logger.warning("reports: could not queue the CSV of report %s", report_pk)


def header_of(report: Report) -> list[dict]:
    """The columns in the asked order (core fields, then custom ones), aliases applied."""
    base = BASES[report.base_entity]
    header = []
    for name, labels in (("core_fields", base.fields), ("custom_fields", {})):
        part = _part(report.definition, name)
        aliases = {alias["key"]: alias["alias"] for alias in part["aliases"]}
        for key in part["fields"]:
            label = labels[key][0] if key in labels else key
            header.append({"label": aliases.get(key, label), "key": key})
    return header


def _custom_value(document, key: str):
    for entry in document or []:
        if isinstance(entry, dict) and entry.get("key") == key:
            return entry.get("value")
    return None


def _custom_holds(item: dict, value) -> bool:
    operator, operand = item.get("operators") or item.get("operator"), item.get("operand")
    text = "" if value is None else str(value)
    if operator == "is_blank":
        return text == ""
    if operator == "is_not_blank":
        return text != ""
    if operator == "contains":
        return str(operand or "").casefold() in text.casefold()
    if operator == "equals":
        return text == str(operand)
    if operator == "not_equals":
        return text != str(operand)
    try:
        left, right = float(text), float(operand)
    except (TypeError, ValueError):
        left, right = text, str(operand)
    return {
        "greater_than": left > right,
        "greater_than_equals": left >= right,
        "less_than": left < right,
        "less_than_equals": left <= right,
    }.get(operator, False)


def _rows(report: Report, request):
    base = BASES[report.base_entity]
    rows = visible(request, base.model.objects.all(), through=base.through)
    for item in _part(report.definition, "core_fields")["query"]:
        rows = rows.filter(_condition(base.model, base.fields[item["field"]][1], item))
    return rows


def rows_of(report: Report, request) -> Iterator[list]:
    """Every row of the report the reader may see, in the entity's order, read in chunks."""
    base = BASES[report.base_entity]
    core = _part(report.definition, "core_fields")
    custom = _part(report.definition, "custom_fields")
    rows = _rows(report, request)
    paths = [base.fields[key][1] for key in core["fields"]]
    wanted = paths + (["input_filter"] if custom["fields"] or custom["query"] else [])
    for values in rows.order_by("id").values_list(*wanted).iterator(chunk_size=2000):
        row = list(values[: len(paths)])
        if custom["fields"] or custom["query"]:
            document = values[-1]
            if not all(
                _custom_holds(item, _custom_value(document, item.get("field")))
                for item in custom["query"]
            ):
                continue
            row += [_custom_value(document, key) for key in custom["fields"]]
        yield [_plain(value) for value in row]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(report: Report, request) -> Iterator[str]:
    """The report as CSV, line by line (the header's labels first)."""
    writer = csv.writer(_Echo())
    # No cell a spreadsheet would run as a formula (``niagara.spreadsheets``).
    yield writer.writerow([safe_cell(column["label"]) for column in header_of(report)])
    for row in rows_of(report, request):
        yield writer.writerow(["" if value is None else safe_cell(value) for value in row])
