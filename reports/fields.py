"""The custom fields (``input_filter`` keys) defined on an entity type, as a report can name
them (``GET /fields/{entity_type}``)."""

from niagara.access import visible
from relations.registry import entities

# The newest rows read for their definitions: enough to meet every field a shop defines,
# bounded whatever the size of the table.
SCANNED = 5000
MAX_FIELDS = 100


def entity_types() -> dict[str, type]:
    """``work_order`` → its model, for every entity kind with custom fields."""
    return {
        kind.kind.replace("-", "_"): kind.model
        for kind in entities
        if any(field.name == "input_filter" for field in kind.model._meta.concrete_fields)
    }


def fields_of(request, entity_type: str, *, key: str | None = None) -> list[dict]:
    model = entity_types()[entity_type]
    rows = (
        visible(request, model.objects.exclude(input_filter=[]))
        .order_by("-id")
        .values_list("input_filter", flat=True)[:SCANNED]
    )
    found = {}
    for document in rows:
        for entry in document or []:
            if isinstance(entry, dict) and entry.get("key") and entry["key"] not in found:
                found[entry["key"]] = entry.get("label") or entry["key"]
    fields = [{"field": name, "label": label} for name, label in sorted(found.items())]
    if key is not None:
        fields = [each for each in fields if each["field"] == key]
    return fields[:MAX_FIELDS]
