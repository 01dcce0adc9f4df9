"""What a report may show of each base entity: its core fields, by the docs' keys
(``batch_id``, ``batch_cycles_pending``…), each a label and a path from the entity."""

from dataclasses import dataclass

from batches.models import Batch, Cycle
from units.models import Unit
from workorders.models import WorkOrder

CATEGORIES = ("pending", "in_progress", "verifying", "complete", "blocked", "cancelled")


@dataclass(frozen=True)
class Base:
    model: type
    prefix: str
    fields: dict[str, tuple[str, str]]  # key -> (label, ORM path)
    through: str = ""  # read through another entity's access (cycles: their batch)
    custom: bool = True  # has custom fields (``input_filter``)


def _entity(prefix: str, up: str = "") -> dict[str, tuple[str, str]]:
    at = f"{up}__" if up else ""
    name = prefix.replace("_", " ")
    return {
        f"{prefix}_id": (f"{name.capitalize()} id", f"{at}public_id"),
        f"{prefix}_label": (f"{name.capitalize()}", f"{at}label"),
    }


def _customer(up: str) -> dict[str, tuple[str, str]]:
    return {
        "customer_id": ("Customer id", f"{up}__public_id"),
        "customer_label": ("Customer", f"{up}__label"),
    }


_WO_CUSTOMER = "project__program__customer"

BASES: dict[str, Base] = {
    "BAT": Base(
        Batch,
        "batch",
        {
            **_entity("batch"),
            "batch_status": ("Status", "current_status__status"),
            "batch_created": ("Created", "created"),
            "batch_updated": ("Updated", "updated"),
            **{
                f"batch_cycles_{c}": (f"Cycles {c.replace('_', ' ')}", f"tally__{c}")
                for c in CATEGORIES
            },
            **_entity("work_order", "work_order"),
            **_entity("queue", "queue"),
            **_entity("location", "queue__location"),
            **_customer(f"work_order__{_WO_CUSTOMER}"),
        },
        custom=False,
    ),
    "WOR": Base(
        WorkOrder,
        "work_order",
        {
            **_entity("work_order"),
            "work_order_status": ("Status", "current_status__status"),
            "work_order_due_date": ("Due", "due_date"),
            "work_order_start_date": ("Started", "start_date"),
            "work_order_end_date": ("Ended", "end_date"),
            "work_order_created": ("Created", "created"),
            **_entity("project", "project"),
            **_customer(_WO_CUSTOMER),
        },
    ),
    "CYC": Base(
        Cycle,
        "cycle",
        {
            **_entity("cycle"),
            "cycle_status": ("Status", "current_status__status"),
            "cycle_category": ("Category", "category"),
            "cycle_updated": ("Updated", "updated"),
            **_entity("batch", "batch"),
            **_entity("work_order", "work_order"),
            "unit_id": ("Unit id", "unit__public_id"),
            "unit_serial_number": ("Serial number", "unit__raw_serial_number"),
            **_customer(f"work_order__{_WO_CUSTOMER}"),
        },
        through="batch",
        custom=False,
    ),
    "UNIT": Base(
        Unit,
        "unit",
        {
            **_entity("unit"),
            "unit_serial_number": ("Serial number", "raw_serial_number"),
            "unit_status": ("Status", "current_status__status"),
            **_entity("part", "part"),
            **_entity("location", "current_location"),
            **_customer("part__customer"),
        },
    ),
}
