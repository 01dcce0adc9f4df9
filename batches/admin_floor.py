"""The floor's pages added to other apps' admins: the work order's "Split into batches" and
progress, and the queue's board — every write through the batch services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html

from customers.statuses import category_counts
from niagara.access import access_for
from niagara.errors import NiagaraError
from queues.admin import QueueAdmin
from queues.models import Queue
from relations.admin_graph import GraphInlineMixin
from users.models import User
from workorders.admin import WorkOrderAdmin
from workorders.models import WorkOrder

from . import services
from .models import Batch
from .selectors import (
    cycles_left,
    floor_summary,
    technicians_of,
)

QUEUES_BY_PRIORITY = Queue.objects.select_related("location").order_by("-priority", "label")


class SplitForm(forms.Form):
    queue = forms.ModelChoiceField(queryset=QUEUES_BY_PRIORITY)
    size = forms.IntegerField(min_value=1, label="Cycles per batch")
    cycles = forms.IntegerField(
        min_value=1,
        required=False,
        label="Cycles to place in this queue",
        help_text="Empty: every cycle left. Fewer: the rest stay to place, in another queue.",
    )
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
        (which needs ``batch:create`` on the work order and the queue)."""
        access = access_for(request)
        if not access.may_somewhere("batch:create"):
            raise PermissionDenied
        work_order = self.get_object(request, unquote(object_id))
        if work_order is None:
            raise Http404("No such work order")
        left = cycles_left(work_order)
        form = SplitForm(request.POST or None)
        form.fields["queue"].queryset = access.visible(QUEUES_BY_PRIORITY)
        plan = None
        if form.is_valid():
            size = form.cleaned_data["size"]
            placing = min(form.cleaned_data["cycles"] or left, left)
            count, last = services.split_plan(placing, size)
            plan = {"batches": count, "last": last, "cycles": placing, "rest": left - placing}
            if not access.allows("batch:create", work_order, form.cleaned_data["queue"]):
                raise PermissionDenied
            if "confirm" in request.POST:
                try:
                    created = services.work_order_split(
                        work_order,
                        actor=request.user,
                        queue=form.cleaned_data["queue"],
                        size=size,
                        users=list(form.cleaned_data["technicians"]),
                        cycles=placing,
                    )
                except NiagaraError as exc:
                    self.message_user(request, exc.detail, messages.ERROR)
                else:
                    queue = form.cleaned_data["queue"]
                    rest = cycles_left(work_order)
                    self.message_user(
                        request,
                        f"Created {len(created)} batches in {queue}."
                        + (f" {rest} cycles are left to place." if rest else ""),
                    )
                    if rest:  # spread over another queue: the same page, for the rest
                        return redirect("admin:workorders_workorder_split", work_order.pk)
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


BOARD_PAGE = 50  # batches on one page of a queue's board
BOARD_PARAMETER = "board"  # the page number in the queue's URL (?board=2)


class QueueBatchInline(GraphInlineMixin, admin.TabularInline):
    """The queue's batches in processing order, with their cycle counters: a page of
    ``BOARD_PAGE`` at a time (a queue of a large floor holds tens of thousands), with links to
    the pages before and after it and no count."""

    template = "admin/queues/board.html"

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

    def get_rows(self, request):
        # Filtered to what the user may read (a queue two customers share shows each manager
        # their own batches), then the board's page of them: the formset filters by queue
        # again, so the page is named by its ids (a sliced queryset cannot be filtered).
        rows = super().get_rows(request)
        queue_id = unquote((request.resolver_match.kwargs or {}).get("object_id", ""))
        if not queue_id.isdigit():
            return rows.none()
        self.board_page = _page_number(request)
        start = (self.board_page - 1) * BOARD_PAGE
        ids = list(
            rows.filter(queue_id=queue_id)
            .order_by("order", "id")
            .values_list("pk", flat=True)[start : start + BOARD_PAGE + 1]
        )
        self.board_has_next = len(ids) > BOARD_PAGE
        self.board_ids = ids[:BOARD_PAGE]
        self.board_parameter = BOARD_PARAMETER
        # The counters of the page's batches: three index probes a row, bounded by the page.
        counters = category_counts("cycles")
        page = rows.filter(pk__in=ids[:BOARD_PAGE]).select_related("work_order")
        return page.annotate(**counters)

    @admin.display(description="Select")
    def pick(self, batch):
        return format_html('<input type="checkbox" name="board_batches" value="{}">', batch.pk)

    @admin.display(description="Technicians")
    def technicians(self, batch):
        # The inline is made anew for each request: one query for the board's page.
        if not hasattr(self, "_technicians"):
            self._technicians = technicians_of(getattr(self, "board_ids", []))
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
        handle = format_html(
            '<button type="button" class="drag-handle" title="Drag to reorder" '
            'aria-label="Reorder {} (arrow keys)">⠿</button>',
            batch.label,
        )
        return format_html("{} {} {}", handle, *buttons)

    @admin.display(description="Pending")
    def pending(self, batch):
        return batch.pending

    @admin.display(description="In progress")
    def in_progress(self, batch):
        return batch.in_progress

    @admin.display(description="Complete")
    def complete(self, batch):
        return batch.complete


def _page_number(request) -> int:
    value = request.GET.get(BOARD_PARAMETER, "1")
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


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

    def get_inlines(self, request, obj):
        # A new queue has no batches yet: no empty board.
        return super().get_inlines(request, obj) if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [(None, {"fields": ["label", "priority", "location"]})]
        board = ["move_to", "technician", "technician_action"]
        return [*fieldsets, ("Selected batches (tick them below)", {"fields": board})]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        queues = access_for(request).visible(QUEUES_BY_PRIORITY)

        class ScopedBoardForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "move_to" in self.fields:
                    self.fields["move_to"].queryset = queues

        return ScopedBoardForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        picked = request.POST.getlist("board_batches")
        access = access_for(request)

        def picked_where(permission):
            # Of the ticked batches, those the user may do this to (the rest are left alone).
            ticked = Batch.objects.filter(
                queue=form.instance, pk__in=[p for p in picked if p.isdigit()]
            )
            return list(access.visible(ticked, permission=permission))

        move_to, tech = form.cleaned_data.get("move_to"), form.cleaned_data.get("technician")
        if tech is not None:
            if form.cleaned_data.get("technician_action") == "unassign":
                for batch in picked_where("batch:detach-tech"):
                    services.batch_tech_remove(batch, actor=request.user, tech=tech)
            elif batches := picked_where("batch:attach-tech"):
                services.batches_assign(batches, actor=request.user, tech=tech)
        order = [p for p in request.POST.get("board_order", "").split(",") if p.isdigit()]
        if order:
            # The board's page in its dragged order: the batches the user may reorder.
            allowed = access.visible(
                Batch.objects.filter(queue=form.instance, pk__in=order), permission="batch:update"
            )
            by_id = {str(batch.pk): batch for batch in allowed}
            request._board_moved = services.batches_reorder(
                [by_id[p] for p in order if p in by_id], actor=request.user
            )
        moving = move_to is not None and move_to != form.instance
        if moving and (batches := picked_where("batch:update")):
            services.batches_move(batches, actor=request.user, queue=move_to)

    def response_change(self, request, obj):
        # The board's work done, stay on the board.
        if request.POST.getlist("board_batches"):
            self.message_user(request, "The selected batches were updated.")
            return redirect("admin:queues_queue_change", obj.pk)
        if (moved := getattr(request, "_board_moved", None)) is not None:
            self.message_user(request, f"The queue's order was saved ({moved} batches moved).")
            return redirect(request.get_full_path())
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
        queue = self.get_object(request, unquote(object_id))
        access = access_for(request)
        batches = access.visible(Batch.objects.filter(pk=batch_id, queue=queue))
        batch = batches.first() if queue else None
        if batch is None:
            raise Http404("No such batch in this queue")
        if not access.allows("batch:update", batch):
            raise PermissionDenied
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
