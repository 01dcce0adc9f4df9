from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from customers.display import CustomFieldsAdminMixin
from customers.forms import StatusChoiceField
from niagara.admin_forms import ModelErrorsOnFormMixin
from relations.admin import EntityAdmin

from . import services
from .models import Manufacturer, Part, Unit, Vendor
from .selectors import (
    manufacturers_for_display,
    parts_for_display,
    units_for_display,
    vendors_for_display,
)

RECORD = ["public_id", "created", "updated"]


def fieldsets(*main: str, record=RECORD) -> list:
    """The main fields, the custom fields folded away (as on locations), then the record."""
    return [
        (None, {"fields": list(main)}),
        ("Custom fields", {"fields": ["input_filter"], "classes": ["collapse"]}),
        ("Record", {"fields": list(record)}),
    ]


@admin.register(Manufacturer)
class ManufacturerAdmin(CustomFieldsAdminMixin, EntityAdmin):
    list_display = ["label", "updated"]
    search_fields = ["label", "public_id"]
    readonly_fields = RECORD
    fieldsets = fieldsets("label")
    ordering = ["label"]

    def get_rows(self, request):
        return manufacturers_for_display()

    save_service = staticmethod(services.manufacturer_save)
    delete_service = staticmethod(services.manufacturer_delete)


@admin.register(Vendor)
class VendorAdmin(CustomFieldsAdminMixin, EntityAdmin):
    list_display = ["label", "updated"]
    search_fields = ["label", "public_id"]
    readonly_fields = RECORD
    fieldsets = fieldsets("label")
    ordering = ["label"]

    def get_rows(self, request):
        return vendors_for_display()

    save_service = staticmethod(services.vendor_save)
    delete_service = staticmethod(services.vendor_delete)


@admin.register(Part)
class PartAdmin(CustomFieldsAdminMixin, EntityAdmin):
    list_display = [
        "label",
        "customer",
        "manufacturer",
        "part_number",
        "serial_prefix",
        "total_units",
        "allocated",
    ]
    list_filter = [
        ("customer", admin.RelatedOnlyFieldListFilter),
        ("manufacturer", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["label", "public_id", "part_number"]
    autocomplete_fields = ["customer", "manufacturer"]
    readonly_fields = RECORD
    fieldsets = fieldsets("label", "customer", "manufacturer", "part_number", "serial_prefix")
    ordering = ["label", "id"]

    def get_rows(self, request):
        return parts_for_display()

    @admin.display(description="Units", ordering="total_units")
    def total_units(self, part):
        return part.total_units

    @admin.display(description="Allocated", ordering="total_units_allocated")
    def allocated(self, part):
        return part.total_units_allocated

    save_service = staticmethod(services.part_save)
    delete_service = staticmethod(services.part_delete)


class UnitAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    """A unit; its status is picked from its customer's statuses (a new unit starts at the
    customer's first PENDING one)."""

    current_status = StatusChoiceField(
        required=False, help_text="One of the customer's statuses; empty: its first PENDING one."
    )

    class Meta:
        model = Unit
        fields = [
            "label",
            "part",
            "raw_serial_number",
            "tenant_part_number",
            "vendor",
            "current_location",
            "current_status",
            "input_filter",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.part_id is not None:
            self.fields["current_status"].vocabulary = self.instance.part.customer.allowed_statuses


def device_history_link(unit_id: int, text: str) -> str:
    """A link to a device's history (its cycles, runs, work orders and notes): a page of the
    engine, above this app, found by its URL name; just ``text`` without it."""
    try:
        url = reverse("admin:engine_device_trace", args=[unit_id])
    except NoReverseMatch:
        return text
    return format_html('<a href="{}">{}</a>', url, text)


@admin.register(Unit)
class UnitAdmin(CustomFieldsAdminMixin, EntityAdmin):
    form = UnitAdminForm
    list_display = ["label", "serial_number", "part", "customer", "status", "current_location"]
    list_filter = [
        ("part__customer", admin.RelatedOnlyFieldListFilter),
        ("part", admin.RelatedOnlyFieldListFilter),
        ("current_location", admin.RelatedOnlyFieldListFilter),
        ("vendor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["label", "public_id", "serial_number", "raw_serial_number"]
    autocomplete_fields = ["part", "current_location", "vendor"]
    readonly_fields = ["serial_number", "device_history", "project", *RECORD]
    fieldsets = fieldsets(
        "label",
        "part",
        "raw_serial_number",
        "serial_number",
        "device_history",
        "tenant_part_number",
        "vendor",
        "current_location",
        "current_status",
        "project",
        record=RECORD,
    )
    ordering = ["-updated", "-id"]

    def get_rows(self, request):
        return units_for_display()

    @admin.display(description="Customer", ordering="part__customer__label")
    def customer(self, unit):
        return unit.part.customer

    @admin.display(description="History")
    def device_history(self, unit):
        if unit.pk is None:
            return "—"
        return device_history_link(unit.pk, "Cycles, runs, work orders and notes")

    @admin.display(description="Status")
    def status(self, unit):
        return (unit.current_status or {}).get("status", "")

    save_service = staticmethod(services.unit_save)
    delete_service = staticmethod(services.unit_delete)
