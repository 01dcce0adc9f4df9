"""What an action does: ``notify`` people, ``update`` a property through the services any
write goes through."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from batches.models import Batch, Cycle
from batches.services import batches_set_status, cycle_set_status
from customers.statuses import first_of
from units.models import Unit
from units.services import unit_change
from workorders.models import WorkOrder
from workorders.services import work_order_save

from .scopes import scopes_of

UPDATABLE: dict[str, frozenset[str]] = {
    "UNIT": frozenset({"current_status"}),
    "CYC": frozenset({"current_status"}),
    "BAT": frozenset({"current_status"}),
    "WOR": frozenset({"current_status"}),
}


def check_update(event_code: str, options: dict) -> None:
    """Refuse an ``update`` an event of ``event_code`` cannot make."""
    target, name = options.get("entity"), options.get("property")
    if target not in UPDATABLE:
        names = ", ".join(sorted(UPDATABLE))
        raise ValidationError(f'an update effect changes one of {names}, not "{target}"')
    if name not in UPDATABLE[target]:
        names = ", ".join(sorted(UPDATABLE[target]))
        raise ValidationError(f'an update effect on {target} changes {names}, not "{name}"')
    if target not in scopes_of(event_code):
        raise ValidationError(f"a {event_code} event is not about a {target}, nor under one")


def _vocabulary(code: str, instance) -> list[dict]:
    if code == "UNIT":
        return instance.part.customer.allowed_statuses
    if code == "WOR":
        return instance.project.effective_statuses
    return instance.work_order.project.effective_statuses


def status_named(statuses: list[dict], value: str) -> dict:
    """The status ``value`` names: a status by its label (any case), or a category's first."""
    wanted = value.strip().casefold()
    found = next((s for s in statuses if s["status"].strip().casefold() == wanted), None)
    found = found or first_of(statuses, value.strip().upper())
    if found is None:
        raise ValidationError(f'no status "{value}" in the vocabulary of the entity')
    return found


def apply_update(code: str, public_id: str, options: dict, *, actor) -> None:
    """Set the property through the entity's own service (its history and events follow)."""
    if code == "UNIT":
        unit = Unit.objects.select_related("part__customer").get(public_id=public_id)
        status = status_named(_vocabulary(code, unit), options["value"])
        unit_change(unit, actor=actor, changes={"current_status": status})
    elif code == "CYC":
        cycle = Cycle.objects.select_related("work_order__project").get(public_id=public_id)
        status = status_named(_vocabulary(code, cycle), options["value"])
        cycle_set_status(cycle, actor=actor, current_status=status)
    elif code == "BAT":
        batch = Batch.objects.select_related("work_order__project").get(public_id=public_id)
        status = status_named(_vocabulary(code, batch), options["value"])
        batches_set_status([batch], actor=actor, current_status=status)
    elif code == "WOR":
        work_order = WorkOrder.objects.select_related("project").get(public_id=public_id)
        work_order.current_status = status_named(_vocabulary(code, work_order), options["value"])
        work_order_save(work_order, actor=actor)


_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def render(text: str, facts: dict) -> str:
    """``text`` with ``{name}`` replaced by the fact of that name (a status by its label);
    unknown names stay as written."""

    def value(match):
        name = match.group(1)
        if name not in facts or facts[name] is None:
            return match.group(0)
        found = facts[name]
        if isinstance(found, dict):
            return str(found.get("status") or found.get("label") or found)
        return str(found)

    return _PLACEHOLDER.sub(value, text)


@dataclass
class Regarding:
    entity_type: str
    entity_id: str
    label: str
