from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from niagara.errors import NiagaraError
from queues.models import Queue
from relations.admin import EntityAdmin
from workorders.admin import StatusCategoryFilter

from . import services
from .models import Batch, Cycle


class MoveForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=Queue.objects.order_by("-priority", "label"))


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


@admin.register(Batch)
class BatchAdmin(EntityAdmin):
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
        from django.db.models import Count

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
        try:
            services.batches_move(actor=request.user, batches=[obj], queue=obj.queue)
        except NiagaraError as exc:
            self.message_user(request, exc.detail, messages.ERROR)

    def delete_model(self, request, obj):
        services.batch_delete(actor=request.user, batch=obj)

    @admin.action(description="Move selected batches to another queue")
    def move_to_queue(self, request, queryset):
        form = MoveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            services.batches_move(
                actor=request.user, batches=list(queryset), queue=form.cleaned_data["queue"]
            )
            self.message_user(
                request, f"Moved {queryset.count()} batches to {form.cleaned_data['queue']}."
            )
            return None
        return render(
            request,
            "admin/batches/batch/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "Move batches",
                "form": form,
                "batches": queryset,
                "action": "move_to_queue",
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Set the status of selected batches")
    def set_status(self, request, queryset):
        form = StatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            label = form.cleaned_data["status"].strip()
            batches = list(queryset.select_related("work_order__project__program__customer"))
            try:
                status = _find_status(batches, label)
                services.batches_set_status(
                    actor=request.user, batches=batches, current_status=status
                )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(request, f"Updated {len(batches)} batches.")
            return None
        return render(
            request,
            "admin/batches/batch/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "Set batch status",
                "form": form,
                "batches": queryset,
                "action": "set_status",
                "opts": self.model._meta,
            },
        )


def _find_status(batches, label: str) -> dict | None:
    if not label:
        return None
    for batch in batches:
        for status in batch.work_order.project.effective_statuses:
            if status["status"].casefold() == label.casefold():
                return {"status": status["status"], "category": status["category"]}
    raise ValidationError(f'No work order of these batches has a status "{label}".')


class SplitForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=Queue.objects.order_by("-priority", "label"))
    size = forms.IntegerField(min_value=1, label="Cycles per batch")
    technicians = forms.ModelMultipleChoiceField(
        queryset=None, required=False, help_text="Assigned to every batch created."
    )

    def __init__(self, *args, **kwargs):
        from users.models import User

        super().__init__(*args, **kwargs)
        self.fields["technicians"].queryset = User.objects.filter(is_active=True).order_by(
            "username"
        )


def split_view(model_admin, request, object_id):
    """The work order's "Split into batches" page: preview, then the same service as the API."""
    from workorders.models import WorkOrder

    work_order = WorkOrder.objects.get(pk=object_id)
    form = SplitForm(request.POST or None)
    plan = None
    if form.is_valid():
        plan = services.split_plan(work_order, form.cleaned_data["size"])
        if "confirm" in request.POST:
            try:
                created = services.work_order_split(
                    actor=request.user,
                    work_order=work_order,
                    queue=form.cleaned_data["queue"],
                    size=form.cleaned_data["size"],
                    users=list(form.cleaned_data["technicians"]),
                )
            except NiagaraError as exc:
                model_admin.message_user(request, exc.detail, messages.ERROR)
            else:
                model_admin.message_user(request, f"Created {len(created)} batches.")
                return redirect("admin:workorders_workorder_change", object_id)
    return render(
        request,
        "admin/workorders/workorder/split.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Split {work_order} into batches",
            "work_order": work_order,
            "form": form,
            "plan": plan,
            "opts": WorkOrder._meta,
            "left": services.split_plan(work_order, 1)[0],
        },
    )
