"""The seed's WorkOrder "Specification" (001, Embedded Schemas) restated as JSON Schema.

One deliberate difference: ``start_date``/``end_date`` may be null (the request parameters say
"string(date-time)¦null"; they stay null until work starts and ends).
"""

STATUS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["status", "category"],
    "properties": {
        "status": {"type": "string", "pattern": "^[A-Za-z][0-9a-zA-Z-_ ]+$"},
        "category": {
            "type": "string",
            "enum": ["PENDING", "IN_PROGRESS", "VERIFYING", "COMPLETE", "CANCELLED", "BLOCKED"],
        },
        "description": {"type": ["string", "null"]},
        "order": {"type": "number"},
    },
}
STATUSES = {"type": "array", "uniqueItems": True, "items": STATUS}
ID = {"type": "string", "pattern": "^[0-9a-zA-Z-_]+$"}
DATE = {"type": "string", "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date-time"}
CUSTOMER = {
    "type": "object",
    "required": [
        "updated",
        "label",
        "created",
        "allowed_statuses",
        "customer_id",
        "external_platform",
        "total_programs",
        "total_projects",
    ],
    "properties": {
        "customer_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
        "external_platform": {"type": "object"},
        "allowed_statuses": STATUSES,
        "total_programs": {"type": "number"},
        "total_projects": {"type": "number"},
    },
}
PROGRAM = {
    "type": "object",
    "required": [
        "created",
        "label",
        "updated",
        "allowed_statuses",
        "customer",
        "end_date",
        "program_id",
        "start_date",
    ],
    "properties": {
        "program_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
        "start_date": NULLABLE_DATE,
        "end_date": NULLABLE_DATE,
        "customer": CUSTOMER,
        "allowed_statuses": STATUSES,
    },
}
PROJECT = {
    "type": "object",
    "required": [
        "start_date",
        "end_date",
        "customer",
        "allowed_statuses",
        "updated",
        "label",
        "created",
        "program",
        "project_id",
    ],
    "properties": {
        "project_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
        "start_date": NULLABLE_DATE,
        "end_date": NULLABLE_DATE,
        "customer": CUSTOMER,
        "program": PROGRAM,
        "allowed_statuses": STATUSES,
    },
}
WORK_FLOW = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "label",
        "entity_id",
        "entity_type",
        "created",
        "updated",
        "steps",
        "starts_at",
        "applies_to",
        "schema_version",
    ],
    "properties": {
        "work_flow_id": ID,
        "entity_id": ID,
        "entity_type": {"enum": ["WKF"]},
        "label": {"type": "string"},
        "slug": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
        "created": DATE,
        "updated": DATE,
        "schema_version": {"type": "string", "enum": ["1.0"]},
        "workflow_version": {"type": "integer"},
        "applies_to": {"type": "string", "enum": ["UNIT", "PART", "PGM", "PRJ", "CUS", "CON"]},
        "triggered_by": {"type": "array", "items": {"type": "string"}},
        "starts_at": {"type": "string"},
        "steps": {"type": "object"},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
CYCLE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "needed",
        "pending",
        "in_progress",
        "verifying",
        "complete",
        "blocked",
        "cancelled",
        "work_flow",
    ],
    "properties": {
        "needed": {"type": "integer", "minimum": 1},
        **{
            name: {"type": "integer"}
            for name in ("pending", "in_progress", "verifying", "complete", "blocked", "cancelled")
        },
        "work_flow": WORK_FLOW,
    },
}
WORK_ORDER = {
    "type": "object",
    "required": [
        "work_order_id",
        "label",
        "created",
        "updated",
        "start_date",
        "end_date",
        "description",
        "work_order_type",
        "begin_date",
        "due_date",
        "current_status",
        "project",
        "cycles",
    ],
    "properties": {
        "work_order_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
        "start_date": NULLABLE_DATE,
        "end_date": NULLABLE_DATE,
        "description": {"type": ["string", "null"]},
        "work_order_type": {"type": "string", "enum": ["device"]},
        "begin_date": DATE,
        "due_date": DATE,
        "current_status": STATUS,
        "project": PROJECT,
        "cycles": {"type": "array", "items": CYCLE},
    },
}
