"""Who may read cycles, and the units cycled in batches: the rules this app owns, registered
with the access layer (``users.access``) so every caller applies them the same way."""

from django.db.models import Exists, OuterRef, Q

from units.models import Unit
from users.access import ALL, NONE, register_read_rule

from .models import Cycle


def readable_cycles(access) -> Q:
    """A cycle is read with its batch: whoever may read the batch reads its cycles."""
    return access.condition_for("batch:read", "batch__")


def readable_units(access) -> Q:
    """A unit is readable by who may read it (``unit:read`` on its part or customer, or a
    relation with it), and by who may read a batch it is cycled in (a technician reads the
    devices of their batches, whoever scanned them)."""
    own = access.condition_for("unit:read")
    if own is ALL:
        return ALL
    cycles = readable_cycles(access)
    if cycles is NONE:
        return own
    in_batches = Cycle.objects.filter(unit=OuterRef("pk"))
    if cycles is not ALL:
        in_batches = in_batches.filter(cycles)
    through_batches = Q(Exists(in_batches))
    return through_batches if own is NONE else own | through_batches


register_read_rule(Cycle, readable_cycles)
register_read_rule(Unit, readable_units)
