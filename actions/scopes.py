"""What an event is about, as actions see it: the event's entity, the entities it is under
(a run's unit, cycle, work order, customer…), and its fields — read in one query."""

from functools import cache

from django.db import models

from batches.models import Batch, Cycle
from engine.models import Context
from relations.registry import entities
from units.models import Unit
from workorders.models import WorkOrder

_WORK_ORDER_UP = {
    "PRJ": "project",
    "PGM": "project__program",
    "CUS": "project__program__customer",
}


def _under(prefix: str, paths: dict[str, str]) -> dict[str, str]:
    return {code: f"{prefix}__{path}" for code, path in paths.items()}


# Beyond the registry's ancestors: what a floor's events are under. Each maps an entity code
# to the path from the event's entity to it.
EXTRA_SCOPES: dict[str, dict[str, str]] = {
    "CYC": {
        "BAT": "batch",
        "WOR": "work_order",
        **_under("work_order", _WORK_ORDER_UP),
        "UNIT": "unit",
        "PART": "unit__part",
        "MFR": "unit__part__manufacturer",
        "LOC": "batch__queue__location",
    },
    "CTX": {
        "UNIT": "unit",
        "CYC": "cycle",
        "BAT": "batch",
        "WOR": "cycle__work_order",
        **_under("cycle__work_order", _WORK_ORDER_UP),
        "PART": "unit__part",
        "MFR": "unit__part__manufacturer",
        "RES": "resource",
        "LOC": "resource__location",
    },
    "UNIT": {"MFR": "part__manufacturer", "LOC": "current_location", "VEN": "vendor"},
    "BAT": {"WOR": "work_order", **_under("work_order", _WORK_ORDER_UP)},
    "WOR": _WORK_ORDER_UP,
    "SRES": {"LOC": "location", "RES": "resource"},
}
MODELS = {"CYC": Cycle, "CTX": Context, "UNIT": Unit, "BAT": Batch, "WOR": WorkOrder}


def model_of(code: str) -> type[models.Model] | None:
    if code in MODELS:
        return MODELS[code]
    return entities.get(code).model if code in entities else None


@cache
def scopes_of(code: str) -> dict[str, str]:
    """Entity code → path from an entity of ``code`` to the one of that code it is under
    (``""``: itself)."""
    paths = {code: ""}
    kind = entities.get(code) if code in entities else None
    if kind is not None:
        for name, path in kind.ancestors.items():
            above = entities.by_kind(name)
            if above is not None:
                paths[above.code] = path
    paths.update(EXTRA_SCOPES.get(code, {}))
    return paths


def _columns(model) -> dict[str, str]:
    """The entity's fields as facts: a related entity by its public id."""
    columns = {}
    for field in model._meta.concrete_fields:
        if field.name in ("id", "public_id"):
            continue
        related = field.related_model
        if related is not None and any(f.name == "public_id" for f in related._meta.fields):
            columns[field.name] = f"{field.name}__public_id"
        elif related is None:
            columns[field.name] = field.attname
    return columns


def facts_of(code: str, public_id: str) -> tuple[dict, dict[str, str]]:
    """The entity's fields (relations by public id) and the public ids of what it is under,
    by entity code, in one query; both empty if it is gone."""
    model = model_of(code)
    if model is None:
        return {}, {}
    columns = _columns(model)
    scopes = {
        above: (f"{path}__public_id" if path else "public_id")
        for above, path in scopes_of(code).items()
    }
    row = (
        model._base_manager.filter(public_id=public_id)
        .values(*columns.values(), *set(scopes.values()))
        .first()
    )
    if row is None:
        return {}, {code: public_id}
    facts = {name: row[column] for name, column in columns.items()}
    return facts, {above: row[column] for above, column in scopes.items() if row[column]}
