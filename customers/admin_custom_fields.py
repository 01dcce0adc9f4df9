"""The custom fields editor (``input_filter``): each field a row — its label, what kind of
value it holds, its choices, whether it is required, locked, its value — with the JSON kept
for power users (filters and validators the rows do not show are kept as they were)."""

import json
import re

from niagara.admin_forms import RowsOverJSONWidget, parsed_json

BLANK_ROWS = 2
ROW_FIELDS = ("key", "label", "kind", "choices", "required", "locked", "value", "description")
# What a row's "Kind" is: the filter that makes a value of it, or (``white_list``) the
# validator that refuses any value not among the choices.
KINDS = {
    "": "Any text",
    "string": "Text",
    "number": "Whole number",
    "float": "Decimal number",
    "date": "Date",
    "boolean": "Yes / no",
    "white_list": "One of a list",
    "allowed_list": "One of a list, else empty",
}
CHOICE_KINDS = {"white_list": "list", "allowed_list": "approved_values"}


def key_from(label: str) -> str:
    """A storage key from a label: lower-case words joined by "_" (the key's pattern)."""
    return "_".join(re.findall(r"[a-z0-9]+", label.lower()))


def posted_rows(data, name: str) -> list[dict]:
    rows = []
    for index in range(int(parsed_json(data.get(f"{name}-rows")) or 0)):
        row = {field: (data.get(f"{name}-{index}-{field}") or "").strip() for field in ROW_FIELDS}
        row["rest"] = data.get(f"{name}-{index}-rest") or ""
        if data.get(f"{name}-{index}-remove") or not (row["key"] or row["label"]):
            continue
        row["key"] = row["key"] or key_from(row["label"])
        rows.append(row)
    return rows


def fields_from_rows(rows: list[dict]) -> list[dict]:
    """The definitions the rows describe (the model's validator checks them)."""
    fields = []
    for row in rows:
        rest = parsed_json(row["rest"]) if row["rest"] else {}
        rest = rest if isinstance(rest, dict) else {}
        filters, validators = [], []
        choices = [c.strip() for c in row["choices"].split(",") if c.strip()]
        kind = row["kind"] if row["kind"] in KINDS else ""
        if kind == "white_list":
            validators.append({"type": kind, "options": {"list": choices}})
        elif kind == "allowed_list":
            filters.append({"type": kind, "options": {"approved_values": choices}})
        elif kind:
            filters.append({"type": kind, "options": {}})
        filters += rest.get("filters", [])
        if row["required"]:
            validators.insert(0, {"type": "required", "options": {}})
        validators += rest.get("validators", [])
        fields.append(
            {
                "key": row["key"],
                "label": row["label"],
                "filters": filters,
                "validators": validators,
                "locked": bool(row["locked"]),
                "description": row["description"] or None,
                "value": row["value"] or None,
            }
        )
    return fields


def _row(field: dict) -> dict:
    filters = [f for f in field.get("filters") or [] if isinstance(f, dict)]
    validators = [v for v in field.get("validators") or [] if isinstance(v, dict)]
    kind = next((f for f in filters if f.get("type") in KINDS), None)
    kind = kind or next((v for v in validators if v.get("type") == "white_list"), None)
    option = CHOICE_KINDS.get((kind or {}).get("type"), "")
    choices = ((kind or {}).get("options") or {}).get(option) or []
    required = any(v.get("type") == "required" for v in validators)
    shown = {id(kind)} | {id(v) for v in validators if v.get("type") == "required"}
    return {
        "key": field.get("key", ""),
        "label": field.get("label", ""),
        "kind": (kind or {}).get("type", ""),
        "choices": ", ".join(str(c) for c in choices),
        "required": required,
        "locked": bool(field.get("locked")),
        "value": field.get("value") or "",
        "description": field.get("description") or "",
        # What the row does not show, kept as it was.
        "rest": json.dumps(
            {
                "filters": [f for f in filters if id(f) not in shown],
                "validators": [v for v in validators if id(v) not in shown],
            }
        ),
        "others": ", ".join(
            str(x.get("type")) for x in [*filters, *validators] if id(x) not in shown
        ),
    }


class CustomFieldsWidget(RowsOverJSONWidget):
    """Rows a manager fills in; the JSON wins only when it was edited in the same submit, and
    a post without the rows (a script) is read as JSON."""

    template_name = "customers/widgets/custom_fields.html"

    def document_from_rows(self, data, name):
        return fields_from_rows(posted_rows(data, name))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        fields = parsed_json(value)
        fields = fields if isinstance(fields, list) else []
        rows = [_row(field) for field in fields if isinstance(field, dict)]
        rows += [_row({}) for _ in range(BLANK_ROWS)]
        context["widget"].update(
            rows=rows,
            row_count=len(rows),
            kinds=list(KINDS.items()),
            original=context["widget"]["value"],
            json_open=bool(value) and not isinstance(parsed_json(value), list),
        )
        return context
