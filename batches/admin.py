"""Batches and cycles in the admin — every write through the same services as the API.

The floor's pages on work orders and queues (split, progress, the queue board) are in
``admin_floor``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin

from customers.display import StatusCategoryFilter, status_badge
from customers.forms import StatusChoiceField
from niagara.access import access_for
from niagara.admin_base import NiagaraModelAdmin
from niagara.admin_forms import ModelErrorsOnFormMixin
from niagara.admin_labels import LabelFilter, labels_column
from niagara.exchange import ServiceImportMixin
from niagara.exports import PeopleExportMixin
from relations.admin import EntityAdmin
from relations.admin_graph import GraphAdminMixin, GraphInlineMixin
from units.admin import device_history_link
from units.selectors import units_with_serial
from users.models import User
from workorders.models import WorkOrder

from . import services
from .admin_actions import (
    StatusPerCustomerForm,
    ask,
    customers_of,
    needs_reason,
    per_customer,
    reason_field,
)
from .admin_floor import QUEUES_BY_PRIORITY
from .models import Batch, Cycle
from .resources import BatchPeopleExport, BatchResource, CyclePeopleExport
from .selectors import (
    batches_of_technician,
    cycle_counts,
    technicians,
    technicians_of,
)


class MoveForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=QUEUES_BY_PRIORITY)

    def __init__(self, *args, queues=QUEUES_BY_PRIORITY, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues  # the queues the user may read


class AssignForm(forms.Form):
    technician = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = people  # the technicians the user may read


class CycleInline(GraphInlineMixin, admin.TabularInline):
    model = Cycle
    graph_through = "batch"
    graph_permissions = {"update": "context:step"}
    fields = ["label", "current_status", "category", "work_flow_version"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BatchAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    current_status = StatusChoiceField(help_text="One of the work order's project's statuses.")

    class Meta:
        model = Batch
        fields = ["labels", "queue", "order", "current_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_status"].vocabulary = _vocabulary_of(self.instance)


def _vocabulary_of(owner) -> list[dict]:
    """Return the statuses a batch or cycle may take: its work order's project's."""
    return owner.work_order.project.effective_statuses if owner.work_order_id else []


class MyBatchesFilter(admin.SimpleListFilter):
    """The batches the signed-in user is a technician of."""

    title = "technician"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "My batches")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(pk__in=batches_of_technician(request.user.pk))
        return queryset


@admin.register(Batch)
class BatchAdmin(ServiceImportMixin, EntityAdmin):
    form = BatchAdminForm
    resource_classes = [BatchResource]
    people_export_class = BatchPeopleExport
    skip_admin_log = True  # an imported row may place several batches
    list_display = [
        "label",
        "queue",
        "order",
        "work_order",
        "status",
        "cycle_count",
        "technicians",
        labels_column,
    ]
    # Every filter reads a small table or an index, never the batches to list its choices.
    list_filter = [MyBatchesFilter, "queue", "work_order", StatusCategoryFilter, LabelFilter]
    list_select_related = ["queue__location", "work_order"]
    search_fields = ["label", "public_id", "work_order__label"]  # see get_search_results
    readonly_fields = ["label", "work_order", "public_id", "created", "updated"]
    fields = [
        "label",
        "labels",
        "work_order",
        "queue",
        "order",
        "current_status",
        "public_id",
        "created",
        "updated",
    ]
    autocomplete_fields = ["queue"]
    inlines = [CycleInline]
    actions = [
        "move_to_queue",
        "run_first",
        "assign_technician",
        "set_status",
        "set_cycle_status",
    ]
    ordering = ["queue", "order", "id"]

    def get_search_results(self, request, queryset, search_term):
        """What was typed, found in the label, as the whole id, or in the work order's label.
        Each branch has its own index (a trigram index on the label on PostgreSQL, the id's,
        the work order's), so a search reads the matches, not a million labels joined to work
        orders. The words are searched as one phrase, as labels are typed ("Order 0042 · 7"):
        one common word alone ("order") would match every batch of the floor."""
        phrase = " ".join(search_term.split())
        if not phrase:
            return queryset, False
        # The work orders' ids as values: an index condition (a subquery would not be).
        orders = list(
            WorkOrder.objects.filter(label__icontains=phrase).values_list("pk", flat=True)
        )
        matches = Q(label__icontains=phrase) | Q(public_id=phrase) | Q(work_order__in=orders)
        return queryset.filter(matches), False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The page's technicians and cycle counts, one grouped query each (counting cycles
        # for every batch before paging would read the whole table).
        page = [batch.pk for batch in changelist.result_list]
        names = technicians_of(page)
        counts = cycle_counts(page)
        for batch in changelist.result_list:
            batch.technician_names = names.get(batch.pk, [])
            batch.cycle_count = counts.get(batch.pk, 0)
        return changelist

    @admin.display(description="Cycles")
    def cycle_count(self, batch):
        link = f"{reverse('admin:batches_cycle_changelist')}?batch__id__exact={batch.pk}"
        return format_html('<a href="{}">{}</a>', link, batch.cycle_count)

    @admin.display(description="Technicians")
    def technicians(self, batch):
        return ", ".join(getattr(batch, "technician_names", [])) or "—"

    @admin.display(description="Status")
    def status(self, batch):
        return status_badge(batch.current_status)

    def has_add_permission(self, request):
        # Batches are made by splitting a work order (its page), which keeps the capacity rule.
        return False

    def save_model(self, request, obj, form, change):
        # The form validated the status against the project (Batch.clean); the service stores
        # it with the order as typed, exactly as ``PUT /batches/{id}`` does.
        fields = services.BatchFields(
            work_order=obj.work_order,
            queue=obj.queue,
            number_cycles=obj.cycles.count(),
            order=obj.order,
            current_status=obj.current_status,
            label=obj.label,
            labels=obj.labels,
        )
        services.batch_update(obj, actor=request.user, fields=fields)

    delete_service = staticmethod(services.batch_delete)

    @admin.action(description="Move selected batches to another queue", permissions=["change"])
    def move_to_queue(self, request, queryset):
        queryset = self.changeable(request, queryset)
        form, page = ask(
            self,
            request,
            queryset,
            MoveForm,
            title="Move batches",
            action="move_to_queue",
            queues=access_for(request).visible(QUEUES_BY_PRIORITY),
        )
        if page is not None:
            return page
        queue = form.cleaned_data["queue"]
        services.batches_move(list(queryset), actor=request.user, queue=queue)
        self.message_user(request, f"Moved {queryset.count()} batches to {queue}.")
        return None

    @admin.action(description="Run selected batches first in their queues", permissions=["change"])
    def run_first(self, request, queryset):
        batches = list(self.changeable(request, queryset))
        services.batches_to_front(batches, actor=request.user)
        self.message_user(request, f"{len(batches)} batches now run first in their queues.")

    @admin.action(description="Assign a technician to selected batches", permissions=["change"])
    def assign_technician(self, request, queryset):
        access = access_for(request)
        queryset = access.visible(queryset, permission="batch:attach-tech")
        form, page = ask(
            self,
            request,
            queryset,
            AssignForm,
            title="Assign a technician",
            action="assign_technician",
            people=access.visible(technicians().order_by("username")),
        )
        if page is not None:
            return page
        tech = form.cleaned_data["technician"]
        batches = list(queryset)
        services.batches_assign(batches, actor=request.user, tech=tech)
        self.message_user(request, f"{tech} is a technician of {len(batches)} more batches.")
        return None

    @admin.action(description="Set the status of selected batches", permissions=["change"])
    def set_status(self, request, queryset):
        def apply(batches, status, _reason):
            services.batches_set_status(list(batches), actor=request.user, current_status=status)

        return _status_action(
            self, request, queryset, apply, title="Set batch status", action="set_status"
        )

    @admin.action(
        description="Set every cycle of selected batches to a status", permissions=["change"]
    )
    def set_cycle_status(self, request, queryset):
        def apply(batches, status, reason):
            cycles = Cycle.objects.filter(batch__in=batches)
            services.cycles_set_status(
                cycles, actor=request.user, current_status=status, reason=reason
            )

        return _status_action(
            self,
            request,
            queryset,
            apply,
            title="Set the status of every cycle of these batches",
            action="set_cycle_status",
            allow_none=False,
            ask_reason=True,
        )


def _status_action(
    model_admin, request, queryset, apply, *, allow_none=True, ask_reason=False, **page
):
    """Ask for a status per customer of the selection, then ``apply`` it (all or nothing).
    Only what the user may change is touched. With ``ask_reason`` (cycles), a status that
    cancels needs a reason."""
    queryset = model_admin.changeable(request, queryset)
    customers = customers_of(queryset)
    form, asking = ask(
        model_admin,
        request,
        queryset,
        StatusPerCustomerForm,
        customers=customers,
        allow_none=allow_none,
        ask_reason=ask_reason,
        **page,
    )
    if asking is not None:
        return asking
    try:
        per_customer(queryset, form, apply)
    except ValidationError as exc:
        model_admin.message_user(request, "; ".join(exc.messages), messages.ERROR)
        return None
    model_admin.message_user(
        request, f"Updated {queryset.count()} {queryset.model._meta.verbose_name_plural}."
    )
    return None


class CycleAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    current_status = StatusChoiceField(
        allow_none=False, help_text="One of the work order's project's statuses."
    )
    reason = reason_field()

    class Meta:
        model = Cycle
        fields = ["current_status", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_status"].vocabulary = _vocabulary_of(self.instance)
        self.fields["reason"].help_text = (
            "Required when the status cancels the unit: its run ends, and the reason is "
            "noted on the unit."
        )

    def clean(self):
        cleaned = super().clean()
        if "current_status" in self.changed_data:
            needs_reason(self, [cleaned.get("current_status")])
        return cleaned


class TechnicianFilter(admin.SimpleListFilter):
    """Cycles of the batches a technician is assigned to (``tech`` relations)."""

    title = "technician"
    parameter_name = "technician"

    def lookups(self, request, model_admin):
        people = technicians().order_by("username")
        return [(str(user.pk), user.get_full_name() or user.username) for user in people]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        return queryset.filter(batch__in=batches_of_technician(int(self.value())))


@admin.register(Cycle)
class CycleAdmin(GraphAdminMixin, PeopleExportMixin, ExportMixin, NiagaraModelAdmin):
    """Every unit on the floor: find them by status, work order, queue or technician, and move
    them through the project's statuses (one by one or in bulk), as ``PATCH /cycles`` does.
    A cycle is read with its batch; moving it along is stepping the workflow."""

    people_export_class = CyclePeopleExport

    graph_through = "batch"
    graph_permissions = {"update": "context:step"}

    form = CycleAdminForm
    list_display = ["label", "status", "batch", "work_order", "queue"]
    list_filter = ["category", "work_order", "batch__queue", TechnicianFilter]
    list_select_related = ["batch__queue__location", "work_order"]
    search_fields = ["label", "public_id", "batch__label"]
    search_help_text = "A cycle's or batch's label, an id, or a device's serial (with or without "
    "its prefix)."
    fields = [
        "label",
        "device",
        "batch",
        "work_order",
        "current_status",
        "reason",
        "category",
        "work_flow_version",
    ]
    readonly_fields = ["label", "device", "batch", "work_order", "category", "work_flow_version"]
    actions = ["set_status"]
    # Batch by batch (the batch index, then id within it): ordering by the batches' queue
    # order would sort every cycle of the floor before the first page.
    ordering = ["batch", "id"]

    def has_add_permission(self, request):
        return False  # cycles are placed with their batch

    def has_delete_permission(self, request, obj=None):
        return False  # a batch shrinks or goes, with its pending cycles

    def lookup_allowed(self, lookup, value, request=None):
        # The batch and work order pages link to their cycles: ?batch__id__exact=…
        return lookup in {"batch__id__exact"} or super().lookup_allowed(lookup, value, request)

    @admin.display(description="Status", ordering="category")
    def status(self, cycle):
        return status_badge(cycle.current_status)

    @admin.display(description="Device")
    def device(self, cycle):
        """The device this cycle produces, linked to its history."""
        if cycle.unit_id is None:
            return "— (not scanned in yet)"
        return device_history_link(cycle.unit_id, f"{cycle.unit}: its history")

    def get_search_results(self, request, queryset, search_term):
        """Labels and ids as any list, and the cycles of the device with that serial (a
        technician or a manager holds a device, not a cycle id)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        devices = list(units_with_serial(search_term).values_list("pk", flat=True)[:100])
        if devices:
            found = found | queryset.filter(unit__in=devices)
        return found, duplicates

    @admin.display(description="Queue", ordering="batch__queue")
    def queue(self, cycle):
        return cycle.batch.queue

    def save_model(self, request, obj, form, change):
        services.cycle_set_status(
            obj,
            actor=request.user,
            current_status=form.cleaned_data["current_status"],
            reason=form.cleaned_data.get("reason", ""),
        )

    @admin.action(description="Set the status of selected cycles", permissions=["change"])
    def set_status(self, request, queryset):
        def apply(cycles, status, reason):
            services.cycles_set_status(
                cycles, actor=request.user, current_status=status, reason=reason
            )

        return _status_action(
            self,
            request,
            queryset,
            apply,
            title="Set cycle status",
            action="set_status",
            allow_none=False,
            ask_reason=True,
        )
