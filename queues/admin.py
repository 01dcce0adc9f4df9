from django.contrib import admin
from django.template.defaultfilters import linebreaksbr

from batches.selectors import queues_for_display
from customers.statuses import category_counts
from relations.admin import EntityAdmin

from . import services
from .addresses import ADDRESS_PARTS
from .forms import LocationAdminForm
from .models import Location, Queue


@admin.register(Location)
class LocationAdmin(EntityAdmin):
    form = LocationAdminForm
    list_display = ["label", "location_type", "address_lines", "updated"]
    list_filter = ["location_type"]
    search_fields = ["label", "public_id"]
    readonly_fields = ["formatted", "public_id", "created", "updated"]
    ordering = ["label"]

    def get_fieldsets(self, request, obj=None):
        address = [f"address_{part}" for part in ADDRESS_PARTS]
        fieldsets = [
            (None, {"fields": ["label", "location_type"]}),
            ("Address", {"fields": address}),
            ("Custom fields", {"fields": ["input_filter"], "classes": ["collapse"]}),
        ]
        if obj is not None:
            fieldsets.append(("Record", {"fields": self.readonly_fields}))
        return fieldsets

    @admin.display(description="Address")
    def address_lines(self, location):
        return linebreaksbr(location.formatted_address)

    @admin.display(description="Formatted address")
    def formatted(self, location):
        return linebreaksbr(location.formatted_address)

    def save_model(self, request, obj, form, change):
        services.location_save(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.location_delete(location=obj, actor=request.user)


class QueueBatchInline(admin.TabularInline):
    """The queue's batches in processing order, with their cycle counters."""

    from batches.models import Batch as model

    fields = ["order", "label", "work_order", "pending", "in_progress", "complete"]
    readonly_fields = ["order", "label", "work_order", "pending", "in_progress", "complete"]
    ordering = ["order", "id"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):

        return (
            super()
            .get_queryset(request)
            .select_related("work_order")
            .annotate(**category_counts("cycles"))
        )

    @admin.display(description="Pending")
    def pending(self, batch):
        return batch.pending

    @admin.display(description="In progress")
    def in_progress(self, batch):
        return batch.in_progress

    @admin.display(description="Complete")
    def complete(self, batch):
        return batch.complete


@admin.register(Queue)
class QueueAdmin(EntityAdmin):
    list_display = ["label", "priority", "location", "total_batches", "active_cycles", "is_active"]
    list_filter = ["location"]
    search_fields = ["label", "public_id"]
    autocomplete_fields = ["location"]
    readonly_fields = ["public_id", "created", "updated"]
    fields = ["label", "priority", "location", "public_id", "created", "updated"]
    inlines = [QueueBatchInline]
    ordering = ["-priority", "id"]

    def get_queryset(self, request):
        return queues_for_display()

    @admin.display(description="Batches", ordering="total_batches")
    def total_batches(self, queue):
        return queue.total_batches

    @admin.display(description="Active cycles", ordering="active_cycles")
    def active_cycles(self, queue):
        return queue.active_cycles

    @admin.display(description="Active", boolean=True)
    def is_active(self, queue):
        return queue.is_active

    def save_model(self, request, obj, form, change):
        services.queue_save(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.queue_delete(queue=obj, actor=request.user)
