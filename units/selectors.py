"""Reads of the catalogue and the devices, shaped for their lists."""

from django.db.models import Count, Prefetch, Q, QuerySet

from customers.models import Customer, Program, Project, statuses_in_use
from customers.statuses import missing_from
from niagara.models import note_counts

from .models import Manufacturer, Part, Unit, Vendor


def manufacturers_for_display() -> QuerySet[Manufacturer]:
    return Manufacturer.objects.all()


def vendors_for_display() -> QuerySet[Vendor]:
    return Vendor.objects.all()


def parts_for_display() -> QuerySet[Part]:
    """Parts with their manufacturer, their customer (with its counters) and their unit
    counters: two queries a page."""
    return (
        Part.objects.select_related("manufacturer")
        .prefetch_related(Prefetch("customer", queryset=Customer.objects.with_counters()))
        .annotate(
            total_units=Count("units"),
            total_units_allocated=Count("units", filter=Q(units__project__isnull=False)),
        )
    )


def units_for_display() -> QuerySet[Unit]:
    """Units with their location, their part as parts are shown and their note counts:
    three queries a page."""
    return (
        Unit.objects.select_related("current_location", "vendor")
        .prefetch_related(Prefetch("part", queryset=parts_for_display()))
        .annotate(**note_counts(Unit))
    )


def units_losing_status(level: Customer | Program | Project, allowed: list[dict]) -> list[str]:
    """Return "status … still used by unit …" for the units of ``level``'s parts whose status
    is not in ``allowed``. Units carry their customer's statuses, so only a customer's list
    matters. Registered with the customers app, which asks before a vocabulary narrows."""
    if not isinstance(level, Customer):
        return []
    units = Unit.objects.filter(part__customer=level)
    return statuses_in_use(
        [(unit, missing_from([unit.current_status], allowed)) for unit in units], "unit"
    )


def units_with_serial(term: str) -> QuerySet[Unit]:
    """The units whose serial is ``term`` as scanned (with its part's prefix) or as stored
    (without it); both columns are indexed."""
    serial = term.strip()
    if not serial:
        return Unit.objects.none()
    return Unit.objects.filter(Q(raw_serial_number=serial) | Q(serial_number=serial))
