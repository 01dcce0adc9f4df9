"""Writes to manufacturers, vendors, parts and units: the one path the API, the admin and
commands share.

What a client may write of each is one dataclass whose defaults say what an omitted field means
on ``PUT``; a duplicate (label, part number, serial number) is a ``Conflict``, deleting what
others still use is refused by ``PROTECT`` (answered 423 Locked).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Substr

from customers.input_filters import normalize_input_filter
from customers.models import Customer
from customers.statuses import first_of
from niagara.errors import Conflict, Locked
from niagara.models import replace_fields
from queues.models import Location
from relations.services import delete_entity, save_entity

from .models import Manufacturer, Part, Unit, Vendor


@dataclass(kw_only=True)
class ManufacturerFields:
    label: str
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def manufacturer_save(manufacturer: Manufacturer, *, actor) -> Manufacturer:
    manufacturer.label = manufacturer.label.strip()
    taken = Manufacturer.objects.filter(label__iexact=manufacturer.label)
    if taken.exclude(pk=manufacturer.pk).exists():
        raise Conflict(f'A manufacturer labelled "{manufacturer.label}" already exists')
    manufacturer.full_clean()
    manufacturer.input_filter = normalize_input_filter(manufacturer.input_filter)
    return save_entity(manufacturer, actor=actor)


def manufacturer_create(*, actor, fields: ManufacturerFields) -> Manufacturer:
    return manufacturer_save(replace_fields(Manufacturer(), fields), actor=actor)


def manufacturer_update(manufacturer: Manufacturer, /, *, actor, fields) -> Manufacturer:
    return manufacturer_save(replace_fields(manufacturer, fields), actor=actor)


@transaction.atomic
def manufacturer_delete(manufacturer: Manufacturer, /, *, actor) -> None:
    """Delete a manufacturer no part names (one that is named is Locked)."""
    delete_entity(manufacturer, actor=actor)


@dataclass(kw_only=True)
class VendorFields:
    label: str
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def vendor_save(vendor: Vendor, *, actor) -> Vendor:
    vendor.label = vendor.label.strip()
    if Vendor.objects.filter(label__iexact=vendor.label).exclude(pk=vendor.pk).exists():
        raise Conflict(f'A vendor labelled "{vendor.label}" already exists')
    vendor.full_clean()
    vendor.input_filter = normalize_input_filter(vendor.input_filter)
    return save_entity(vendor, actor=actor)


def vendor_create(*, actor, fields: VendorFields) -> Vendor:
    return vendor_save(replace_fields(Vendor(), fields), actor=actor)


def vendor_update(vendor: Vendor, /, *, actor, fields: VendorFields) -> Vendor:
    return vendor_save(replace_fields(vendor, fields), actor=actor)


@transaction.atomic
def vendor_delete(vendor: Vendor, /, *, actor) -> None:
    """Delete a vendor no unit names: units keep their vendor for good (the docs), so one that
    is named is Locked."""
    delete_entity(vendor, actor=actor)


@dataclass(kw_only=True)
class PartFields:
    label: str
    customer: Customer
    manufacturer: Manufacturer
    part_number: str
    serial_prefix: str = ""
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def part_save(part: Part, *, actor) -> Part:
    """Validate and store a part; one with units stays with its customer (their statuses are
    that customer's), else it is Locked."""
    if part.pk is not None and part.units.exists():
        stored = Part.objects.filter(pk=part.pk).values_list("customer_id", flat=True).first()
        if stored is not None and stored != part.customer_id:
            raise Locked("A part with units cannot move to another customer")
    taken = Part.objects.filter(
        customer=part.customer, manufacturer=part.manufacturer, part_number=part.part_number
    )
    if taken.exclude(pk=part.pk).exists():
        raise Conflict(
            f'{part.customer} already has a {part.manufacturer} part numbered "{part.part_number}"'
        )
    prefix_before = (
        Part.objects.filter(pk=part.pk).values_list("serial_prefix", flat=True).first()
        if part.pk is not None
        else part.serial_prefix
    )
    part.full_clean()
    part.input_filter = normalize_input_filter(part.input_filter)
    saved = save_entity(part, actor=actor)
    if prefix_before != part.serial_prefix:
        _derive_serial_numbers(part)
    return saved


def _derive_serial_numbers(part: Part) -> None:
    """Set the serial numbers of ``part``'s units from their raw ones and its prefix (what
    ``Part.serial_number`` does for one unit), in two queries whatever the count."""
    prefix = part.serial_prefix
    # Compared as a substring, not with ``startswith``: SQLite's LIKE ignores case.
    units = Unit.objects.filter(part=part).annotate(
        head=Substr("raw_serial_number", 1, len(prefix))
    )
    prefixed = Q(head=prefix) if prefix else Q(pk__in=[])
    units.filter(prefixed).update(serial_number=Substr("raw_serial_number", len(prefix) + 1))
    units.exclude(prefixed).update(serial_number=F("raw_serial_number"))


def part_create(*, actor, fields: PartFields) -> Part:
    return part_save(replace_fields(Part(), fields), actor=actor)


def part_update(part: Part, /, *, actor, fields: PartFields) -> Part:
    return part_save(replace_fields(part, fields), actor=actor)


@transaction.atomic
def part_delete(part: Part, /, *, actor) -> None:
    """Delete a part without units (one with units is Locked)."""
    delete_entity(part, actor=actor)


@dataclass(kw_only=True)
class UnitFields:
    label: str
    part: Part
    current_location: Location
    current_status: dict
    raw_serial_number: str = ""
    tenant_part_number: str = ""
    vendor: Vendor | None = None
    input_filter: list[dict] = field(default_factory=list)


@transaction.atomic
def unit_save(unit: Unit, *, actor) -> Unit:
    """Validate and store a unit: its status from its customer's vocabulary, its serial number
    unique for its part (a duplicate is a ``Conflict``)."""
    unit.raw_serial_number = unit.raw_serial_number.strip()
    if unit.raw_serial_number:
        taken = Unit.objects.filter(part=unit.part, raw_serial_number=unit.raw_serial_number)
        if taken.exclude(pk=unit.pk).exists():
            raise Conflict(
                f'A unit of part "{unit.part}" with serial number "{unit.raw_serial_number}" '
                "already exists"
            )
    unit.full_clean()
    unit.input_filter = normalize_input_filter(unit.input_filter)
    return save_entity(unit, actor=actor)


def unit_follow(unit: Unit, category: str, /, *, actor) -> Unit:
    """Move a unit to the first status of ``category`` in its customer's vocabulary, when its
    status is of another category (a device being produced says so; a shipped one says
    COMPLETE, a scrapped one CANCELLED). A vocabulary without that category leaves it as is."""
    if (unit.current_status or {}).get("category") == category:
        return unit
    status = first_of(unit.part.customer.allowed_statuses, category)
    if status is None:
        return unit
    unit.current_status = status
    return unit_save(unit, actor=actor)


def unit_create(*, actor, fields: UnitFields) -> Unit:
    return unit_save(replace_fields(Unit(), fields), actor=actor)


def unit_update(unit: Unit, /, *, actor, fields: UnitFields) -> Unit:
    """Replace a unit's fields (PUT)."""
    return unit_save(replace_fields(unit, fields), actor=actor)


def unit_change(unit: Unit, /, *, actor, changes: dict) -> Unit:
    """Change some of a unit's fields (PATCH: its status, its location, …)."""
    for name, value in changes.items():
        setattr(unit, name, value)
    return unit_save(unit, actor=actor)


@transaction.atomic
def unit_delete(unit: Unit, /, *, actor) -> None:
    """Delete a unit no cycle or run names (one that is named is Locked)."""
    delete_entity(unit, actor=actor)
