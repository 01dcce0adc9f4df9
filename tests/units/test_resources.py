"""Manufacturers, parts and units under the generic resource contract."""

from functools import cached_property

from customers.statuses import first_pending
from tests.api.resources import ResourceContract
from tests.factories import (
    CustomerFactory,
    LocationFactory,
    ManufacturerFactory,
    PartFactory,
    UnitFactory,
    VendorFactory,
)
from units.models import Manufacturer, Part, Unit, Vendor


class TestManufacturers(ResourceContract):
    model = Manufacturer
    id_field = "manufacturer_id"
    embedded_key = "nter:manufacturers"
    permission = "manufacturer:%s"
    link_rels = frozenset({"self", "nter:manufacturer-parts", "nter:manufacturer-units"})
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"label": " "}, "minLength", ".label"),
        ({"input_filter": {}}, "type", ".input_filter"),
    ]

    def make(self):
        return ManufacturerFactory()

    def list_url(self, obj):
        return "/api/manufacturers"

    def detail_url(self, obj):
        return f"/api/manufacturers/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "Apple"}

    def changed(self, fetched):
        return {**fetched, "label": "Apple Inc."}


class TestVendors(ResourceContract):
    model = Vendor
    id_field = "vendor_id"
    embedded_key = "nter:vendors"
    permission = "vendor:%s"
    link_rels = frozenset({"self", "nter:vendor-units"})
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"label": " "}, "minLength", ".label"),
        ({"input_filter": {}}, "type", ".input_filter"),
    ]

    def make(self):
        return VendorFactory()

    def list_url(self, obj):
        return "/api/vendors"

    def detail_url(self, obj):
        return f"/api/vendors/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "CDW"}

    def changed(self, fetched):
        return {**fetched, "label": "CDW Corporation"}


class TestParts(ResourceContract):
    model = Part
    id_field = "part_id"
    embedded_key = "nter:parts"
    permission = "part:%s"
    referenced_permissions = ("customer:read", "manufacturer:read")
    link_rels = frozenset(
        {"self", "nter:part-customer", "nter:part-manufacturer", "nter:part-units"}
    )
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"customer": {"customer_id": "missing"}}, "exists", ".customer.customer_id"),
        (
            {"manufacturer": {"manufacturer_id": "missing", "part_number": "X"}},
            "exists",
            ".manufacturer.manufacturer_id",
        ),
        ({"serial_prefix": 7}, "type", ".serial_prefix"),
    ]

    @cached_property
    def customer(self):
        return CustomerFactory()

    @cached_property
    def manufacturer(self):
        return ManufacturerFactory()

    def make(self):
        return PartFactory(customer=self.customer, manufacturer=self.manufacturer)

    def list_url(self, obj):
        return "/api/parts"

    def child_list_urls(self, obj):
        return [
            f"/api/customers/{self.customer.public_id}/parts",
            f"/api/manufacturers/{self.manufacturer.public_id}/parts",
        ]

    def detail_url(self, obj):
        return f"/api/parts/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "iPad 10th gen 64 GB",
            "customer": {"customer_id": self.customer.public_id},
            "manufacturer": {
                "manufacturer_id": self.manufacturer.public_id,
                "part_number": "MPQ03LL/A",
            },
            "serial_prefix": None,
        }

    def changed(self, fetched):
        return {**fetched, "serial_prefix": "F9"}


class TestUnits(ResourceContract):
    model = Unit
    id_field = "unit_id"
    embedded_key = "nter:units"
    permission = "unit:%s"
    referenced_permissions = (
        "part:read",
        "customer:read",
        "manufacturer:read",
        "vendor:read",
        "location:read",
    )
    link_rels = frozenset(
        {
            "self",
            "nter:unit-part",
            "nter:unit-customer",
            "nter:unit-manufacturer",
            "nter:unit-vendor",
            "nter:unit-last-known-location",
            "nter:unit-notes",
        }
    )
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"part": {"part_id": "missing"}}, "exists", ".part.part_id"),
        ({"current_location": {}}, "required", ".current_location.location_id"),
        (
            {"current_status": {"status": "Nope", "category": "PENDING"}},
            "subset",
            ".current_status",
        ),
        ({"raw_serial_number": ["X"]}, "type", ".raw_serial_number"),
        ({"vendor": {"vendor_id": "missing"}}, "exists", ".vendor.vendor_id"),
        ({"vendor": "CDW"}, "type", ".vendor"),
    ]

    @cached_property
    def part(self):
        return PartFactory()

    @cached_property
    def location(self):
        return LocationFactory()

    @cached_property
    def vendor(self):
        return VendorFactory()

    def make(self):
        return UnitFactory(part=self.part, current_location=self.location, vendor=self.vendor)

    def list_url(self, obj):
        return "/api/units"

    def child_list_urls(self, obj):
        return [
            f"/api/parts/{self.part.public_id}/units",
            f"/api/customers/{self.part.customer.public_id}/units",
            f"/api/manufacturers/{self.part.manufacturer.public_id}/units",
            f"/api/vendors/{self.vendor.public_id}/units",
        ]

    def detail_url(self, obj):
        return f"/api/units/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "iPad 1",
            "part": {"part_id": self.part.public_id},
            "current_location": {"location_id": self.location.public_id},
            "vendor": {"vendor_id": self.vendor.public_id},
            "current_status": first_pending(self.part.customer.allowed_statuses),
            "raw_serial_number": "ABCNEW0001",
        }

    def changed(self, fetched):
        return {**fetched, "tenant_part_number": "ASSET-0042"}
