from django.contrib import admin
from django.template.defaultfilters import linebreaksbr

from customers.display import CustomFieldsAdminMixin
from niagara.access import access_for
from relations.admin import EntityAdmin

from . import services
from .addresses import ADDRESS_PARTS
from .forms import LocationAdminForm, ResourceAdminForm, SubResourceAdminForm
from .models import Location, Queue, Resource, SubResource
from .selectors import queues_for_display, resources_for_display, sub_resources_for_display


@admin.register(Location)
class LocationAdmin(CustomFieldsAdminMixin, EntityAdmin):
    form = LocationAdminForm
    list_display = ["label", "location_type", "address_lines", "updated"]
    list_filter = ["location_type"]
    search_fields = ["label", "public_id"]
    readonly_fields = ["formatted", "public_id", "created", "updated"]
    ordering = ["label"]

    fieldsets = [
        (None, {"fields": ["label", "location_type"]}),
        ("Address", {"fields": [f"address_{part}" for part in ADDRESS_PARTS]}),
        ("Custom fields", {"fields": ["input_filter"], "classes": ["collapse"]}),
        ("Record", {"fields": ["formatted", "created", "updated"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else [f for f in fieldsets if f[0] != "Record"]

    @admin.display(description="Address")
    def address_lines(self, location):
        return linebreaksbr(location.formatted_address)

    @admin.display(description="Formatted address")
    def formatted(self, location):
        return linebreaksbr(location.formatted_address)

    save_service = staticmethod(services.location_save)
    delete_service = staticmethod(services.location_delete)


@admin.register(Queue)
class QueueAdmin(EntityAdmin):
    list_display = ["label", "priority", "location"]
    list_filter = ["location"]
    search_fields = ["label", "public_id"]
    autocomplete_fields = ["location"]
    readonly_fields = ["public_id", "created", "updated"]
    fields = ["label", "priority", "location", "public_id", "created", "updated"]
    ordering = ["-priority", "id"]

    def get_rows(self, request):
        return queues_for_display(access_for(request))

    save_service = staticmethod(services.queue_save)
    delete_service = staticmethod(services.queue_delete)


RECORD = ["public_id", "created", "updated"]


@admin.register(Resource)
class ResourceAdmin(CustomFieldsAdminMixin, EntityAdmin):
    """A location's lines, stations, imaging ports and VPN slots (filtered per location)."""

    form = ResourceAdminForm
    list_display = ["label", "resource_type", "location", "updated"]
    list_filter = ["location", "resource_type"]
    search_fields = ["label", "public_id", "resource_type"]
    autocomplete_fields = ["location"]
    readonly_fields = RECORD
    fieldsets = [
        (None, {"fields": ["label", "resource_type", "location", "meta"]}),
        ("Custom fields", {"fields": ["input_filter"], "classes": ["collapse"]}),
        ("Record", {"fields": RECORD}),
    ]
    ordering = ["location__label", "label", "id"]

    def get_rows(self, request):
        return resources_for_display()

    save_service = staticmethod(services.resource_save)
    delete_service = staticmethod(services.resource_delete)


@admin.register(SubResource)
class SubResourceAdmin(CustomFieldsAdminMixin, EntityAdmin):
    """The slots within a resource, at its location."""

    form = SubResourceAdminForm
    list_display = ["label", "resource_type", "resource", "location"]
    list_filter = ["location", "resource_type"]
    search_fields = ["label", "public_id", "resource_type"]
    autocomplete_fields = ["resource", "location"]
    readonly_fields = RECORD
    fieldsets = [
        (None, {"fields": ["label", "resource_type", "resource", "location", "meta"]}),
        ("Custom fields", {"fields": ["input_filter"], "classes": ["collapse"]}),
        ("Record", {"fields": RECORD}),
    ]
    ordering = ["resource__label", "label", "id"]

    def get_rows(self, request):
        return sub_resources_for_display()

    save_service = staticmethod(services.sub_resource_save)
    delete_service = staticmethod(services.sub_resource_delete)
