"""The floor in the admin: batches, the queue page with its batches, and the work order's
"Split into batches" page — every write through the same services as the API."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from customers.statuses import category_counts, find_status_labelled
from niagara.admin_forms import ModelErrorsOnFormMixin
from niagara.errors import NiagaraError
from queues.admin import QueueAdmin
from queues.models import Queue
from relations.admin import EntityAdmin
from users.models import User
from workorders.admin import StatusCategoryFilter, WorkOrderAdmin
from workorders.models import WorkOrder

from . import services
from .models import Batch, Cycle
from .selectors import cycles_left

QUEUES_BY_PRIORITY = Queue.objects.select_related("location").order_by("-priority", "label")


class MoveForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=QUEUES_BY_PRIORITY)


class StatusForm(forms.Form):
    status = forms.CharField(
        help_text="A status label of the work orders' projects; blank clears it.", required=False
    )


class CycleInline(admin.TabularInline):
    model = Cycle
    fields = ["label", "current_status", "category", "work_flow_version"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BatchAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["queue", "order", "current_status"]


@admin.register(Batch)
class BatchAdmin(EntityAdmin):
    form = BatchAdminForm
    list_display = ["label", "queue", "order", "work_order", "status", "cycle_count"]
    list_filter = ["queue", ("work_order", admin.RelatedOnlyFieldListFilter), StatusCategoryFilter]
    list_select_related = ["queue", "work_order"]
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
    actions = ["move_to_queue", "set_status"]
    ordering = ["queue", "order", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cycle_count=Count("cycles"))

    @admin.display(description="Cycles", ordering="cycle_count")
    def cycle_count(self, batch):
        return batch.cycle_count

    @admin.display(description="Status")
    def status(self, batch):
        status = batch.current_status or {}
        return f"{status.get('status', '—')} ({status.get('category', '—')})"

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

    def _action_form(self, request, queryset, form_class, *, title: str, action: str):
        """Return the action's bound form, and the page asking for it unless it is valid."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            return form, None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "batches": queryset,
            "action": action,
            "opts": self.model._meta,
        }
        return form, render(request, "admin/batches/batch/action_form.html", context)

    @admin.action(description="Move selected batches to another queue")
    def move_to_queue(self, request, queryset):
        form, page = self._action_form(
            request, queryset, MoveForm, title="Move batches", action="move_to_queue"
        )
        if page is not None:
            return page
        queue = form.cleaned_data["queue"]
        services.batches_move(list(queryset), actor=request.user, queue=queue)
        self.message_user(request, f"Moved {queryset.count()} batches to {queue}.")
        return None

    @admin.action(description="Set the status of selected batches")
    def set_status(self, request, queryset):
        form, page = self._action_form(
            request, queryset, StatusForm, title="Set batch status", action="set_status"
        )
        if page is not None:
            return page
        label = form.cleaned_data["status"]
        batches = list(queryset.select_related("work_order__project__program__customer"))
        try:
            status = _status_labelled(batches, label)
            services.batches_set_status(batches, actor=request.user, current_status=status)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return None
        self.message_user(request, f"Updated {len(batches)} batches.")
        return None


def _status_labelled(batches: list[Batch], label: str) -> dict | None:
    """Return the status people typed, as the first of the batches' projects defines it."""
    if not label.strip():
        return None
    for batch in batches:
        found = find_status_labelled(batch.work_order.project.effective_statuses, label)
        if found is not None:
            return found
    raise ValidationError(f'No work order of these batches has a status "{label.strip()}".')


class SplitForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=QUEUES_BY_PRIORITY)
    size = forms.IntegerField(min_value=1, label="Cycles per batch")
    technicians = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text="Assigned to every batch created.",
    )


class WorkOrderFloorAdmin(WorkOrderAdmin):
    """The work order's admin, plus the "Split into batches" page this app provides."""

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
    fields = ["order", "label", "work_order", "pending", "in_progress", "complete"]
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

    @admin.display(description="Pending")
    def pending(self, batch):
        return batch.pending

    @admin.display(description="In progress")
    def in_progress(self, batch):
        return batch.in_progress

    @admin.display(description="Complete")
    def complete(self, batch):
        return batch.complete


class QueueFloorAdmin(QueueAdmin):
    """The queue's admin, plus the batches this app places in it."""

    list_display = [*QueueAdmin.list_display, "total_batches", "active_cycles", "is_active"]
    inlines = [*QueueAdmin.inlines, QueueBatchInline]

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
