from rest_framework import serializers
from rest_framework.fields import empty

from customers.api.serializers import EmbeddedCustomerSerializer
from customers.input_filters import INPUT_FILTER
from customers.models import Customer
from customers.statuses import STATUS
from niagara.api.fields import (
    DocumentField,
    EmbeddedReferenceField,
    HalLinksField,
    NoteCountSerializer,
    OptionalTextField,
    StrictCharField,
)
from niagara.api.schema import component_rule
from niagara.api.serializers import ResourceSerializer
from queues.api.serializers import EmbeddedLocationSerializer
from queues.models import Location

from ..models import Manufacturer, Part, Unit, Vendor

MANUFACTURER_FIELDS = ["manufacturer_id", "label", "created", "updated", "input_filter"]


class EmbeddedManufacturerSerializer(ResourceSerializer):
    manufacturer_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the entity (unique)")
    input_filter = DocumentField(INPUT_FILTER, required=False)

    class Meta:
        model = Manufacturer
        fields = MANUFACTURER_FIELDS


class ManufacturerSerializer(EmbeddedManufacturerSerializer):
    _links = HalLinksField(
        {
            "self": "manufacturers/{obj.public_id}",
            "nter:manufacturer-parts": "manufacturers/{obj.public_id}/parts",
            "nter:manufacturer-units": "manufacturers/{obj.public_id}/units",
        }
    )

    class Meta:
        model = Manufacturer
        fields = [*MANUFACTURER_FIELDS, "_links"]


VENDOR_FIELDS = ["vendor_id", "label", "created", "updated", "input_filter"]


class EmbeddedVendorSerializer(ResourceSerializer):
    vendor_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the entity (unique)")
    input_filter = DocumentField(INPUT_FILTER, required=False)

    class Meta:
        model = Vendor
        fields = VENDOR_FIELDS


class VendorSerializer(EmbeddedVendorSerializer):
    _links = HalLinksField(
        {
            "self": "vendors/{obj.public_id}",
            "nter:vendor-units": "vendors/{obj.public_id}/units",
        }
    )

    class Meta:
        model = Vendor
        fields = [*VENDOR_FIELDS, "_links"]


class PartManufacturerField(EmbeddedReferenceField):
    """A part's manufacturer and that manufacturer's number for the part: written
    ``{"manufacturer_id", "part_number"}``, answered as the manufacturer with ``part_number``."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Manufacturer.objects.all(),
            id_name="manufacturer_id",
            embedded=EmbeddedManufacturerSerializer,
            source="*",
            **kwargs,
        )
        self.fields["part_number"] = StrictCharField(
            max_length=200, help_text="The manufacturer's part number"
        )

    def to_internal_value(self, data):
        number = data.get("part_number", empty) if isinstance(data, dict) else empty
        try:
            part_number = self.fields["part_number"].run_validation(number)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"part_number": exc.detail}) from exc
        return {"manufacturer": super().to_internal_value(data), "part_number": part_number}

    def to_representation(self, part):
        embedded = super().to_representation(part.manufacturer)
        return None if embedded is None else {**embedded, "part_number": part.part_number}


PART_FIELDS = [
    "part_id",
    "label",
    "created",
    "updated",
    "customer",
    "manufacturer",
    "serial_prefix",
    "input_filter",
    "total_units",
    "total_units_allocated",
    "total_units_unallocated",
]


class EmbeddedPartSerializer(ResourceSerializer):
    part_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    customer = EmbeddedReferenceField(
        queryset=Customer.objects.all(), id_name="customer_id", embedded=EmbeddedCustomerSerializer
    )
    manufacturer = PartManufacturerField()
    serial_prefix = OptionalTextField(
        max_length=100, help_text="Stripped from raw serial numbers to give serial numbers"
    )
    input_filter = DocumentField(INPUT_FILTER, required=False)
    total_units = serializers.IntegerField(read_only=True)
    total_units_allocated = serializers.IntegerField(read_only=True)
    total_units_unallocated = serializers.SerializerMethodField()

    class Meta:
        model = Part
        fields = PART_FIELDS
        validators = []  # a duplicate part number is the service's Conflict (409)

    def get_total_units_unallocated(self, part) -> int:
        return part.total_units - part.total_units_allocated


class PartSerializer(EmbeddedPartSerializer):
    _links = HalLinksField(
        {
            "self": "parts/{obj.public_id}",
            "nter:part-customer": "customers/{obj.customer.public_id}",
            "nter:part-manufacturer": "manufacturers/{obj.manufacturer.public_id}",
            "nter:part-units": "parts/{obj.public_id}/units",
        }
    )

    class Meta:
        model = Part
        fields = [*PART_FIELDS, "_links"]
        validators = []


UNIT_FIELDS = [
    "unit_id",
    "label",
    "created",
    "updated",
    "serial_number",
    "raw_serial_number",
    "tenant_part_number",
    "part",
    "customer",
    "manufacturer",
    "vendor",
    "current_location",
    "current_status",
    "input_filter",
    "note_count",
]


# One of the two names of a unit's location is required (``UnitSerializer.validate``).
component_rule(
    "UnitRequest", {"anyOf": [{"required": ["current_location"]}, {"required": ["location"]}]}
)


class UnitSerializer(ResourceSerializer):
    unit_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    serial_number = OptionalTextField(
        read_only=True, help_text="The raw serial number without the part's prefix"
    )
    raw_serial_number = OptionalTextField(max_length=200, help_text="As scanned")
    tenant_part_number = OptionalTextField(max_length=200, help_text="The shop's own identifier")
    part = EmbeddedReferenceField(
        queryset=Part.objects.all(), id_name="part_id", embedded=EmbeddedPartSerializer
    )
    customer = EmbeddedCustomerSerializer(source="part.customer", read_only=True)
    manufacturer = EmbeddedManufacturerSerializer(source="part.manufacturer", read_only=True)
    current_location = EmbeddedReferenceField(
        queryset=Location.objects.all(),
        id_name="location_id",
        embedded=EmbeddedLocationSerializer,
        required=False,
        help_text="Where the device was last seen (required; `location` may name it instead)",
    )
    # The docs' unit schema has both names for it: answered under both, either one written.
    location = EmbeddedReferenceField(
        queryset=Location.objects.all(),
        id_name="location_id",
        embedded=EmbeddedLocationSerializer,
        source="current_location",
        required=False,
        help_text="The same as `current_location` (the docs' other name for it)",
    )
    vendor = EmbeddedReferenceField(
        queryset=Vendor.objects.all(),
        id_name="vendor_id",
        embedded=EmbeddedVendorSerializer,
        required=False,
        allow_null=True,
        help_text="Where the unit was bought (optional; null or left out: none)",
    )
    current_status = DocumentField(STATUS)
    input_filter = DocumentField(INPUT_FILTER, required=False)
    note_count = NoteCountSerializer()
    _links = HalLinksField(
        {
            "self": "units/{obj.public_id}",
            "nter:unit-vendor": "vendors/{obj.vendor.public_id}",
            "nter:unit-notes": "units/{obj.public_id}/notes",
            "nter:unit-part": "parts/{obj.part.public_id}",
            "nter:unit-customer": "customers/{obj.part.customer.public_id}",
            "nter:unit-manufacturer": "manufacturers/{obj.part.manufacturer.public_id}",
            "nter:unit-last-known-location": "locations/{obj.current_location.public_id}",
        }
    )

    class Meta:
        model = Unit
        fields = [*UNIT_FIELDS, "location", "_links"]
        validators = []  # a duplicate serial number is the service's Conflict (409)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "current_location" not in attrs and not self.partial:
            missing = serializers.ErrorDetail("This field is required.", code="required")
            raise serializers.ValidationError({"current_location": [missing]})
        return attrs
