"""A customer's status vocabulary: its own labels, each mapped to one of six categories."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from niagara.jsonschemas import DocumentSchema, SchemaError


class StatusCategory(models.TextChoices):
    PENDING = "PENDING", "Pending"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    VERIFYING = "VERIFYING", "Verifying"
    BLOCKED = "BLOCKED", "Blocked"
    COMPLETE = "COMPLETE", "Complete"
    CANCELLED = "CANCELLED", "Cancelled"


ACTIVE_CATEGORIES = frozenset(
    {
        StatusCategory.PENDING,
        StatusCategory.IN_PROGRESS,
        StatusCategory.VERIFYING,
        StatusCategory.BLOCKED,
    }
)

STATUS_LABEL_PATTERN = r"^[A-Za-z][0-9a-zA-Z-_ ]+$"

# The docs' status.json / allowedStatuses.json, plus "at least one" for a customer.
STATUS_SCHEMA = {
    "type": "object",
    "description": "Defines the properties for a status",
    "additionalProperties": False,
    "required": ["status", "category"],
    "properties": {
        "status": {
            "type": "string",
            "description": "A custom label for the status",
            "pattern": STATUS_LABEL_PATTERN,
        },
        "category": {
            "type": "string",
            "description": "The classifier for the status",
            "enum": list(StatusCategory.values),
        },
        "description": {
            "type": ["string", "null"],
            "description": "A description for the status",
        },
        "order": {"type": "number", "description": "Order status appears when listing"},
    },
    "example": {
        "category": "COMPLETE",
        "description": "For something that is Complete",
        "status": "Complete",
        "order": 7,
    },
}

ALLOWED_STATUSES_SCHEMA = {
    "type": "array",
    "description": "List of allowed statuses",
    "minItems": 1,
    "uniqueItems": True,
    "items": STATUS_SCHEMA,
}


def _distinct_labels(statuses) -> list[SchemaError]:
    """Reject two statuses whose labels differ only by case: work is matched by label."""
    seen: dict[str, int] = {}
    errors = []
    for index, item in enumerate(statuses):
        key = item["status"].strip().casefold()
        if key in seen:
            errors.append(
                SchemaError(
                    "uniqueItems",
                    (index, "status"),
                    "#/uniqueItems",
                    f'should be unique: "{item["status"]}" repeats item {seen[key]}',
                    {"i": seen[key], "j": index},
                )
            )
        seen.setdefault(key, index)
    return errors


ALLOWED_STATUSES = DocumentSchema(ALLOWED_STATUSES_SCHEMA, extra_checks=[_distinct_labels])
# The shop's own vocabulary, which new customers start from: at most 100 (the docs' page).
MAX_TENANT_STATUSES = 100
TENANT_STATUSES = DocumentSchema(
    {**ALLOWED_STATUSES_SCHEMA, "maxItems": MAX_TENANT_STATUSES}, extra_checks=[_distinct_labels]
)
# One status, as a work order, batch or cycle carries it in ``current_status``.
STATUS = DocumentSchema(STATUS_SCHEMA)


def normalize_statuses(statuses: list[dict]) -> list[dict]:
    """Return the list with every key present: ``description`` null, ``order`` its position."""
    return [
        {
            "status": item["status"],
            "category": item["category"],
            "description": item.get("description"),
            "order": item.get("order", index + 1),
        }
        for index, item in enumerate(statuses)
    ]


DEFAULT_STATUSES = normalize_statuses(
    [
        {"status": label, "category": category, "description": f"For something that is {label}"}
        for category, label in (
            ("PENDING", "Pending"),
            ("IN_PROGRESS", "In Progress"),
            ("VERIFYING", "Verifying"),
            ("BLOCKED", "Blocked"),
            ("COMPLETE", "Complete"),
            ("CANCELLED", "Cancelled"),
        )
    ]
)


def status_key(item: dict) -> tuple[str, str]:
    """Return what identifies a status across levels: its label (any case) and category."""
    return item["status"].strip().casefold(), item["category"]


def missing_from(statuses: list[dict], allowed: list[dict]) -> list[dict]:
    """Return the items of ``statuses`` that ``allowed`` does not have (by label and category)."""
    keys = {status_key(item) for item in allowed}
    return [item for item in statuses if status_key(item) not in keys]


def describe(item: dict) -> str:
    return f'"{item["status"]}" ({item["category"]})'


def first_of(statuses: list[dict], category: str) -> dict | None:
    """Return the first status of ``category`` in a vocabulary (where work of that kind goes
    unless a status is named)."""
    return next((s for s in statuses if s["category"] == category), None)


def first_pending(statuses: list[dict]) -> dict | None:
    """Return the first PENDING status of a vocabulary (what new work starts in)."""
    return first_of(statuses, StatusCategory.PENDING)


def find_status(statuses: list[dict], wanted: dict) -> dict | None:
    """Return the vocabulary's status that ``wanted`` names (label in any case, category)."""
    key = status_key(wanted)
    return next((s for s in statuses if status_key(s) == key), None)


def checked_status(status: dict | None, statuses: list[dict], *, owner: str) -> dict | None:
    """Return ``status`` with the vocabulary's description and order filled in.

    Raise a ``ValidationError`` at ``current_status`` when the vocabulary of ``owner`` (``"the
    work order's project"``) does not have it. A status that fails its schema is returned as it
    is: the field's schema validator reports that.
    """
    if status is None or STATUS.errors(status):
        return status
    found = find_status(statuses, status)
    if found is None:
        message = f"status {describe(status)} is not allowed by {owner}"
        raise ValidationError({"current_status": ValidationError(message, code="subset")})
    [narrowed] = narrow_statuses([status], [found])
    return narrowed


def narrow_statuses(statuses: list[dict], parent: list[dict]) -> list[dict]:
    """Return a child's statuses with every key present; omitted descriptions and orders are
    taken from the parent's matching status."""
    by_key = {status_key(item): item for item in parent}
    narrowed = []
    for item in statuses:
        match = by_key.get(status_key(item), {})
        narrowed.append(
            {
                "status": item["status"],
                "category": item["category"],
                "description": item.get("description", match.get("description")),
                "order": item.get("order", match.get("order")),
            }
        )
    return narrowed


# The six counters the API reports, by the category they count.
COUNTERS = {
    "pending": StatusCategory.PENDING,
    "in_progress": StatusCategory.IN_PROGRESS,
    "verifying": StatusCategory.VERIFYING,
    "complete": StatusCategory.COMPLETE,
    "blocked": StatusCategory.BLOCKED,
    "cancelled": StatusCategory.CANCELLED,
}


def category_subqueries(rows: models.QuerySet, parent: str) -> dict:
    """Return the six counter annotations of a parent as correlated subqueries: its ``rows``
    (which point at it by ``parent`` and carry a ``category``), counted by category.

    Unlike joined counts they leave the parent's query ungrouped, so a page and its
    ``count()`` stay as cheap as the parents themselves.
    """
    return {
        name: Coalesce(
            Subquery(
                rows.filter(**{parent: OuterRef("pk"), "category": category})
                .order_by()
                .values(parent)
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )
        for name, category in COUNTERS.items()
    }


def category_counts(path: str) -> dict:
    """Return the six counter annotations: rows through ``path`` (whose ``category`` holds the
    status category), counted by category."""
    return {
        name: Count(path, filter=Q(**{f"{path}__category": category}))
        for name, category in COUNTERS.items()
    }
