"""The catalogue and the devices: manufacturers, vendors, the parts (device models) each
customer uses, and units, the physical devices a shop buys, receives, provisions and ships."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from customers.input_filters import (
    INPUT_FILTER,
    input_filter_field,
    locked_redefinitions,
    normalize_input_filter,
)
from customers.models import Customer, Project
from customers.statuses import checked_status, first_pending
from niagara.jsonschemas import DocumentValidator
from niagara.models import Entity
from queues.models import Location
from relations.registry import entities


class Manufacturer(Entity):
    """Who makes parts ("Apple"): one label per shop, any case."""

    label = models.CharField(max_length=200)
    input_filter = input_filter_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                name="manufacturer_label_unique_ci",
                violation_error_message="A manufacturer with this label already exists.",
            )
        ]

    def __str__(self):
        return self.label


class Vendor(Entity):
    """Whom a shop buys units from ("CDW"): one label per shop, any case. A unit may name one,
    and keeps it: a vendor named by units cannot be deleted."""

    label = models.CharField(max_length=200)
    input_filter = input_filter_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                name="vendor_label_unique_ci",
                violation_error_message="A vendor with this label already exists.",
            )
        ]

    def __str__(self):
        return self.label


class Part(Entity):
    """A device model as one customer uses it ("iPad 10th gen, 64 GB" for Acme), made by one
    manufacturer and known by that manufacturer's part number."""

    label = models.CharField(max_length=200)
    customer = models.ForeignKey(Customer, models.PROTECT, related_name="parts")
    manufacturer = models.ForeignKey(Manufacturer, models.PROTECT, related_name="parts")
    part_number = models.CharField(
        "manufacturer part number",
        max_length=200,
        help_text="The manufacturer's number for this part; unique per customer and manufacturer.",
    )
    serial_prefix = models.CharField(
        max_length=100,
        blank=True,
        help_text="Stripped from a unit's raw serial number to give its serial number.",
    )
    input_filter = input_filter_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "manufacturer", "part_number"],
                name="part_number_unique_per_customer_manufacturer",
                violation_error_message="This customer already has a part with this "
                "manufacturer part number.",
            )
        ]

    def __str__(self):
        return self.label

    def serial_number(self, raw: str) -> str:
        """Return ``raw`` without this part's serial prefix (the docs' example: raw
        ``ABCDEF123456``, prefix ``ABC`` → ``DEF123456``)."""
        if self.serial_prefix and raw.startswith(self.serial_prefix):
            return raw[len(self.serial_prefix) :]
        return raw


class Unit(Entity):
    """One physical device of a part, wherever it is and whatever state it is in."""

    label = models.CharField(max_length=200)
    part = models.ForeignKey(Part, models.PROTECT, related_name="units")
    raw_serial_number = models.CharField(
        max_length=200, blank=True, help_text="As scanned; unique per part when given."
    )
    # Derived from the raw serial number and the part's prefix when saved (a query filter).
    serial_number = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    tenant_part_number = models.CharField(
        max_length=200, blank=True, help_text="The shop's own identifier for the unit."
    )
    current_location = models.ForeignKey(Location, models.PROTECT, related_name="units")
    current_status = models.JSONField(
        validators=[DocumentValidator("customers.statuses.STATUS")],
        help_text="One of the customer's statuses.",
    )
    # Where the unit was bought, when the shop records it.
    vendor = models.ForeignKey(Vendor, models.PROTECT, null=True, blank=True, related_name="units")
    # The project the unit is allocated to (the workflow function allocate-unit-to-project).
    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="units"
    )
    input_filter = input_filter_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["part", "raw_serial_number"],
                condition=~models.Q(raw_serial_number=""),
                name="unit_serial_unique_per_part",
                violation_error_message="A unit of this part with this serial number exists.",
            )
        ]
        # A device is found by its serial as scanned (``units.selectors.units_with_serial``).
        indexes = [models.Index(fields=["raw_serial_number"], name="unit_raw_serial_idx")]

    def __str__(self):
        return self.label

    def clean(self):
        """The status is one of the customer's (completed from it); the serial number follows
        the raw one; intake values pass the part's definition of their field."""
        if self.part_id is None:
            return
        statuses = self.part.customer.allowed_statuses
        if self.current_status is None:
            self.current_status = first_pending(statuses)  # a new unit starts pending
        self.current_status = checked_status(
            self.current_status, statuses, owner="the part's customer"
        )
        self.serial_number = self.part.serial_number(self.raw_serial_number)
        problems = self._intake_problems()
        if problems:
            raise ValidationError({"input_filter": problems})

    def _intake_problems(self) -> list[ValidationError]:
        if INPUT_FILTER.errors(self.input_filter):
            return []  # the field's own validator reports those
        defined = normalize_input_filter(self.part.input_filter)
        own = normalize_input_filter(self.input_filter)
        problems = [
            ValidationError(f'item {i + 1} > key: "{key}" is locked by the part', code="locked")
            for i, key in locked_redefinitions(defined, own)
        ]
        by_key = {field["key"]: field for field in defined}
        for index, field in enumerate(own):
            if field["key"] in by_key and field["value"] is not None:
                checked = [{**by_key[field["key"]], "value": field["value"]}]
                problems += [
                    ValidationError(f"item {index + 1} > value: {e.message}", code=e.keyword)
                    for e in INPUT_FILTER.errors(checked)
                ]
        return problems


entities.register(Manufacturer, code="MFR", collection="manufacturers", kind="manufacturer")
entities.register(Vendor, code="VEN", collection="vendors", kind="vendor")
entities.register(
    Part, code="PART", collection="parts", kind="part", ancestors={"customer": "customer"}
)
entities.register(
    Unit,
    code="UNIT",
    collection="units",
    kind="unit",
    ancestors={"part": "part", "customer": "part__customer"},
)
