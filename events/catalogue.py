"""The events Niagara emits, by the docs' entity type codes.

The docs name ``<TYPE>.created``, ``.changed`` and ``.deleted`` for every entity, and
``UNIT.location-changed``, ``UNIT.resource-changed``, ``WOR.location-changed`` and
``CTX.step-completed``; the status events, the cycle's and a work order's completion are
Niagara's own (docs/decisions.md).
"""

# Entity types whose changes are events (a registered entity's code: its history record).
ENTITY_CODES = (
    "CUS", "CON", "PGM", "PRJ", "WOR", "WKF", "BAT", "QUE", "LOC", "RES", "SRES",
    "UNIT", "PART", "MFR", "VEN", "NOTE", "CTX", "FILE", "USER",
)  # fmt: skip
LIFECYCLE = ("created", "changed", "deleted")

# A change of one of these fields is, besides ``.changed``, an event of its own.
FIELD_EVENTS = {
    "current_status": "status-changed",
    "current_location": "location-changed",
    "location": "location-changed",
    "resource": "resource-changed",
}

SPECIFIC = (
    "CYC.status-changed",
    "BAT.status-changed",
    "WOR.status-changed",
    "WOR.location-changed",
    "WOR.complete",
    "UNIT.location-changed",
    "UNIT.resource-changed",
    "CTX.step-completed",
    "CTX.step-failed",
)

EVENT_TYPES: tuple[str, ...] = tuple(
    sorted({f"{code}.{what}" for code in ENTITY_CODES for what in LIFECYCLE} | set(SPECIFIC))
)


def is_known(event_type: str) -> bool:
    return event_type in _KNOWN


_KNOWN = frozenset(EVENT_TYPES)
