"""The floor in the admin: batches, the queue page with its batches, and the work order's
"Split into batches" page — every write through the same services as the API."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin

from customers.display import StatusCategoryFilter, status_badge
from customers.forms import StatusChoiceField
from customers.statuses import category_counts
from niagara.admin_forms import ModelErrorsOnFormMixin
from niagara.errors import NiagaraError
from niagara.exchange import ServiceImportMixin
from queues.admin import QueueAdmin
from queues.models import Queue
from relations.admin import EntityAdmin
from users.models import User
from workorders.admin import WorkOrderAdmin
from workorders.models import WorkOrder

from . import services
from .admin_actions import StatusPerCustomerForm, ask, customers_of, per_customer
from .models import Batch, Cycle
from .resources import BatchResource
from .selectors import (
    batches_of_technician,
    cycles_left,
    floor_summary,
    technician_ids,
    technicians_of,
)

QUEUES_BY_PRIORITY = Queue.objects.select_related("location").order_by("-priority", "label")


class MoveForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=QUEUES_BY_PRIORITY)


class CycleInline(admin.TabularInline):
    model = Cycle
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
        fields = ["queue", "order", "current_status"]

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
    skip_admin_log = True  # an imported row may place several batches
    list_display = [
        "label",
        "queue",
        "order",
        "work_order",
        "status",
        "cycle_count",
        "technicians",
    ]
    list_filter = [
        MyBatchesFilter,
        "queue",
        ("work_order", admin.RelatedOnlyFieldListFilter),
        StatusCategoryFilter,
    ]
    list_select_related = ["queue__location", "work_order"]
    search_fields = ["label", "public_id", "work_order__label"]
    readonly_fields = ["label", "work_order", "public_id", "created", "updated"]
    fields = [
        "label",
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
    actions = ["move_to_queue", "set_status", "set_cycle_status"]
    ordering = ["queue", "order", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cycle_count=Count("cycles"))

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # One query for the technicians of the whole page, not one per row.
        names = technicians_of([batch.pk for batch in changelist.result_list])
        for batch in changelist.result_list:
            batch.technician_names = names.get(batch.pk, [])
        return changelist

    @admin.display(description="Cycles", ordering="cycle_count")
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
        )
        services.batch_update(obj, actor=request.user, fields=fields)

    delete_service = staticmethod(services.batch_delete)

    @admin.action(description="Move selected batches to another queue")
    def move_to_queue(self, request, queryset):
        form, page = ask(
            self, request, queryset, MoveForm, title="Move batches", action="move_to_queue"
        )
        if page is not None:
            return page
        queue = form.cleaned_data["queue"]
        services.batches_move(list(queryset), actor=request.user, queue=queue)
        self.message_user(request, f"Moved {queryset.count()} batches to {queue}.")
        return None

    @admin.action(description="Set the status of selected batches")
    def set_status(self, request, queryset):
        def apply(batches, status):
            services.batches_set_status(list(batches), actor=request.user, current_status=status)

        return _status_action(
            self, request, queryset, apply, title="Set batch status", action="set_status"
        )

    @admin.action(description="Set every cycle of selected batches to a status")
    def set_cycle_status(self, request, queryset):
        def apply(batches, status):
            cycles = Cycle.objects.filter(batch__in=batches)
            services.cycles_set_status(cycles, actor=request.user, current_status=status)

        return _status_action(
            self,
            request,
            queryset,
            apply,
            title="Set the status of every cycle of these batches",
            action="set_cycle_status",
            allow_none=False,
        )


def _status_action(model_admin, request, queryset, apply, *, allow_none=True, **page):
    """Ask for a status per customer of the selection, then ``apply`` it (all or nothing)."""
    customers = customers_of(queryset)
    form, asking = ask(
        model_admin,
        request,
        queryset,
        StatusPerCustomerForm,
        customers=customers,
        allow_none=allow_none,
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


class SplitForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=QUEUES_BY_PRIORITY)
    size = forms.IntegerField(min_value=1, label="Cycles per batch")
    technicians = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text="Assigned to every batch created.",
    )


class WorkOrderFloorAdmin(WorkOrderAdmin):
    """The work order's admin, plus what this app knows of it: its progress on the floor, links
    to its batches, queues and cycles, and the "Split into batches" page."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "on_the_floor"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return (
            fields if obj is None else ["on_the_floor", *[f for f in fields if f != "on_the_floor"]]
        )

    @admin.display(description="On the floor")
    def on_the_floor(self, work_order):
        if work_order.pk is None:
            return "—"
        return render_to_string(
            "admin/workorders/workorder/on_the_floor.html", floor_summary(work_order)
        )

    def get_urls(self):
        split = self.admin_site.admin_view(self.split_view)
        return [
            path("<path:object_id>/split/", split, name="workorders_workorder_split"),
            *super().get_urls(),
        ]

    def split_view(self, request, object_id):
        """Preview, then place the cycles left through the same service as ``PATCH /batches``
        (which needs ``add_batch``)."""
        if not request.user.has_perm("batches.add_batch"):
            raise PermissionDenied
        work_order = self.get_object(request, unquote(object_id))
        if work_order is None:
            raise Http404("No such work order")
        left = cycles_left(work_order)
        form = SplitForm(request.POST or None)
        plan = None
        if form.is_valid():
            size = form.cleaned_data["size"]
            count, last = services.split_plan(left, size)
            plan = {"batches": count, "last": last}
            if "confirm" in request.POST:
                try:
                    created = services.work_order_split(
                        work_order,
                        actor=request.user,
                        queue=form.cleaned_data["queue"],
                        size=size,
                        users=list(form.cleaned_data["technicians"]),
                    )
                except NiagaraError as exc:
                    self.message_user(request, exc.detail, messages.ERROR)
                else:
                    self.message_user(request, f"Created {len(created)} batches.")
                    return redirect("admin:workorders_workorder_change", work_order.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Split {work_order} into batches",
            "work_order": work_order,
            "form": form,
            "plan": plan,
            "opts": WorkOrder._meta,
            "left": left,
        }
        return render(request, "admin/workorders/workorder/split.html", context)


class QueueBatchInline(admin.TabularInline):
    """The queue's batches in processing order, with their cycle counters."""

    model = Batch
    fields = [
        "pick",
        "order",
        "reorder",
        "label",
        "work_order",
        "technicians",
        "pending",
        "in_progress",
        "complete",
    ]
    readonly_fields = fields
    ordering = ["order", "id"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        counters = category_counts("cycles")
        return super().get_queryset(request).select_related("work_order").annotate(**counters)

    @admin.display(description="Select")
    def pick(self, batch):
        return format_html('<input type="checkbox" name="board_batches" value="{}">', batch.pk)

    @admin.display(description="Technicians")
    def technicians(self, batch):
        # The inline is made anew for each request: one query for the whole queue's batches.
        if not hasattr(self, "_technicians"):
            queue_batches = Batch.objects.filter(queue_id=batch.queue_id).values_list("pk")
            self._technicians = technicians_of(queue_batches)
        return ", ".join(self._technicians.get(batch.pk, [])) or "—"

    @admin.display(description="Move")
    def reorder(self, batch):
        # Buttons of the page's own form (forms cannot nest), posted to the board's URL.
        buttons = [
            format_html(
                '<button type="submit" formaction="{}" formmethod="post" title="{}">{}</button>',
                reverse("admin:queues_queue_reorder", args=[batch.queue_id, batch.pk, way]),
                title,
                arrow,
            )
            for way, title, arrow in (("up", "Earlier", "▲"), ("down", "Later", "▼"))
        ]
        return format_html("{} {}", *buttons)

    @admin.display(description="Pending")
    def pending(self, batch):
        return batch.pending

    @admin.display(description="In progress")
    def in_progress(self, batch):
        return batch.in_progress

    @admin.display(description="Complete")
    def complete(self, batch):
        return batch.complete


class QueueBoardForm(forms.ModelForm):
    """The queue, and what to do with the batches selected on its board."""

    move_to = forms.ModelChoiceField(
        queryset=QUEUES_BY_PRIORITY,
        required=False,
        label="Move the selected batches to",
        help_text="They go to the end of that queue, in their order.",
    )
    technician = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label="Technician",
    )
    technician_action = forms.ChoiceField(
        choices=[("assign", "Assign to the selected batches"), ("unassign", "Unassign from them")],
        required=False,
        initial="assign",
        label="",
    )

    class Meta:
        model = Queue
        fields = ["label", "priority", "location"]


class QueueFloorAdmin(QueueAdmin):
    """The queue's admin, plus its board: the batches this app places in it, in processing
    order, to reorder, move to another queue, or staff — without leaving the page."""

    form = QueueBoardForm
    list_display = [*QueueAdmin.list_display, "total_batches", "active_cycles", "is_active"]
    inlines = [*QueueAdmin.inlines, QueueBatchInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [(None, {"fields": ["label", "priority", "location"]})]
        board = ["move_to", "technician", "technician_action"]
        return [*fieldsets, ("Selected batches (tick them below)", {"fields": board})]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        picked = request.POST.getlist("board_batches")
        batches = list(
            Batch.objects.filter(queue=form.instance, pk__in=[p for p in picked if p.isdigit()])
        )
        if not batches:
            return
        move_to, tech = form.cleaned_data.get("move_to"), form.cleaned_data.get("technician")
        if tech is not None:
            if form.cleaned_data.get("technician_action") == "unassign":
                for batch in batches:
                    services.batch_tech_remove(batch, actor=request.user, tech=tech)
            else:
                services.batches_assign(batches, actor=request.user, tech=tech)
        if move_to is not None and move_to != form.instance:
            services.batches_move(batches, actor=request.user, queue=move_to)

    def response_change(self, request, obj):
        # The board's work done, stay on the board.
        if request.POST.getlist("board_batches"):
            self.message_user(request, "The selected batches were updated.")
            return redirect("admin:queues_queue_change", obj.pk)
        return super().response_change(request, obj)

    def get_urls(self):
        reorder = self.admin_site.admin_view(self.reorder_view)
        return [
            path(
                "<path:object_id>/reorder/<int:batch_id>/<str:way>/",
                reorder,
                name="queues_queue_reorder",
            ),
            *super().get_urls(),
        ]

    def reorder_view(self, request, object_id, batch_id, way):
        """Swap a batch with its neighbour in the queue (POST), through ``batch_update``."""
        if request.method != "POST" or way not in ("up", "down"):
            raise Http404("Reorder a batch with a POST, up or down")
        if not request.user.has_perm("batches.change_batch"):
            raise PermissionDenied
        queue = self.get_object(request, unquote(object_id))
        batch = Batch.objects.filter(pk=batch_id, queue=queue).first() if queue else None
        if batch is None:
            raise Http404("No such batch in this queue")
        services.batch_swap(batch, actor=request.user, earlier=(way == "up"))
        return redirect("admin:queues_queue_change", queue.pk)

    # Counters are set on the page's queues after the fetch (``queues.counters``): not sortable.
    @admin.display(description="Batches")
    def total_batches(self, queue):
        return queue.total_batches

    @admin.display(description="Active cycles")
    def active_cycles(self, queue):
        return queue.active_cycles

    @admin.display(description="Active", boolean=True)
    def is_active(self, queue):
        return queue.is_active


# Work orders and queues are registered by their own apps; the floor adds its pages to them.
for model, floor_admin in ((WorkOrder, WorkOrderFloorAdmin), (Queue, QueueFloorAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, floor_admin)


class CycleAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    current_status = StatusChoiceField(
        allow_none=False, help_text="One of the work order's project's statuses."
    )

    class Meta:
        model = Cycle
        fields = ["current_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_status"].vocabulary = _vocabulary_of(self.instance)


class TechnicianFilter(admin.SimpleListFilter):
    """Cycles of the batches a technician is assigned to (``tech`` relations)."""

    title = "technician"
    parameter_name = "technician"

    def lookups(self, request, model_admin):
        techs = User.objects.filter(pk__in=technician_ids()).order_by("username")
        return [(str(user.pk), user.get_full_name() or user.username) for user in techs]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        return queryset.filter(batch__in=batches_of_technician(int(self.value())))


@admin.register(Cycle)
class CycleAdmin(ExportMixin, admin.ModelAdmin):
    """Every unit on the floor: find them by status, work order, queue or technician, and move
    them through the project's statuses (one by one or in bulk), as ``PATCH /cycles`` does."""

    form = CycleAdminForm
    list_display = ["label", "status", "batch", "work_order", "queue"]
    list_filter = [
        "category",
        ("work_order", admin.RelatedOnlyFieldListFilter),
        ("batch__queue", admin.RelatedOnlyFieldListFilter),
        TechnicianFilter,
    ]
    list_select_related = ["batch__queue__location", "work_order"]
    search_fields = ["label", "public_id", "batch__label"]
    fields = ["label", "batch", "work_order", "current_status", "category", "work_flow_version"]
    readonly_fields = ["label", "batch", "work_order", "category", "work_flow_version"]
    actions = ["set_status"]
    ordering = ["batch__queue", "batch__order", "id"]

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

    @admin.display(description="Queue", ordering="batch__queue")
    def queue(self, cycle):
        return cycle.batch.queue

    def save_model(self, request, obj, form, change):
        services.cycle_set_status(
            obj, actor=request.user, current_status=form.cleaned_data["current_status"]
        )

    @admin.action(description="Set the status of selected cycles")
    def set_status(self, request, queryset):
        def apply(cycles, status):
            services.cycles_set_status(cycles, actor=request.user, current_status=status)

        return _status_action(
            self,
            request,
            queryset,
            apply,
            title="Set cycle status",
            action="set_status",
            allow_none=False,
        )
