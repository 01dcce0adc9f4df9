"""The seed's Batch "Specification" (002, Embedded Schemas) restated as JSON Schema."""

from tests.workorders.seed_schema import DATE, ID, STATUS, WORK_ORDER

COUNTS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        name: {"type": "integer"}
        for name in ("pending", "in_progress", "verifying", "complete", "blocked", "cancelled")
    },
}
LOCATION = {
    "type": "object",
    "required": [
        "updated",
        "label",
        "created",
        "address",
        "formatted_address",
        "location_id",
        "location_type",
    ],
    "properties": {
        "location_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
    },
}
QUEUE = {
    "type": "object",
    "required": [
        "updated",
        "label",
        "created",
        "location",
        "priority",
        "queue_id",
        "total_batches",
        "total_work_orders",
    ],
    "properties": {
        "queue_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
        "location": LOCATION,
        "priority": {"type": "number", "minimum": 0},
        "total_batches": {"type": "integer"},
        "total_work_orders": COUNTS,
    },
}
BATCH = {
    "type": "object",
    "required": [
        "batch_id",
        "created",
        "current_status",
        "cycles",
        "label",
        "number_cycles",
        "order",
        "queue",
        "updated",
        "work_order",
    ],
    "properties": {
        "batch_id": ID,
        "label": {"type": "string"},
        "created": DATE,
        "updated": DATE,
        "queue": QUEUE,
        "order": {"type": "number", "minimum": 0},
        "current_status": {"anyOf": [{"type": "null"}, STATUS]},
        "number_cycles": {"type": "integer", "minimum": 1},
        "cycles": COUNTS,
        "work_order": WORK_ORDER,
    },
}
