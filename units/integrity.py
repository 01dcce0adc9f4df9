"""The devices' invariants, recomputed from the rows (part of ``manage.py check_integrity``)."""

from customers.statuses import describe, find_status

from .models import Unit


def units_out_of_line() -> list[str]:
    """A unit's status is one of its customer's, and its serial number is its raw one without
    its part's prefix."""
    problems = []
    units = Unit.objects.select_related("part__customer").only(
        "public_id",
        "raw_serial_number",
        "serial_number",
        "current_status",
        "part__serial_prefix",
        "part__customer__allowed_statuses",
    )
    for unit in units.iterator(chunk_size=2000):
        if find_status(unit.part.customer.allowed_statuses, unit.current_status or {}) is None:
            shown = describe(unit.current_status) if unit.current_status else "none"
            problems.append(f"unit {unit.public_id}: status {shown} is not its customer's")
        if unit.serial_number != unit.part.serial_number(unit.raw_serial_number):
            problems.append(
                f'unit {unit.public_id}: serial number "{unit.serial_number}" does not follow '
                f'"{unit.raw_serial_number}" and its part\'s prefix'
            )
    return problems
