from django import forms
from django.contrib import admin
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from rangefilter.filters import DateRangeFilter

from customers.display import CustomFieldsAdminMixin, StatusCategoryFilter, status_badge
from customers.forms import StatusChoiceField
from niagara.admin_forms import ModelErrorsOnFormMixin, PrettyJSONWidget
from niagara.admin_labels import LabelFilter, labels_column
from niagara.errors import NiagaraError
from niagara.exchange import ServiceImportMixin
from relations.admin import EntityAdmin
from relations.admin_graph import GraphInlineMixin

from . import services
from .admin_steps import StepErrorsMixin, StepsWidget
from .boms import boms_at
from .models import WorkFlow, WorkOrder, WorkOrderLine
from .progress import complete_units
from .resources import WorkOrderResource
from .services import LineSpec
from .workflows import STEP_KEY_PATTERN, flow_of


class LineFormSet(forms.BaseInlineFormSet):
    """Lines edited inline, under the API's rules: a closed work order's are Locked, and no
    line may need fewer cycles than are placed on it."""

    @property
    def lines(self) -> list[LineSpec]:
        return [
            {"needed": form.cleaned_data["needed"], "work_flow": form.cleaned_data["work_flow"]}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if self.instance.pk and not any(self.errors):
            try:
                services.check_lines_replaceable(self.instance, self.lines)
            except NiagaraError as exc:
                raise forms.ValidationError(exc.detail) from exc


class LineInline(GraphInlineMixin, admin.TabularInline):
    model = WorkOrderLine
    graph_through = "work_order"
    formset = LineFormSet
    verbose_name = "cycle line"
    fields = ["needed", "work_flow", "version"]
    readonly_fields = ["version"]
    autocomplete_fields = ["work_flow"]
    extra = 0

    @admin.display(description="Runs version")
    def version(self, line):
        return line.work_flow_version.version if line.pk else "current, once saved"


class WorkOrderAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    """A work order; its status is picked from its project's statuses (on a new work order it
    starts at the project's first PENDING one)."""

    current_status = StatusChoiceField(
        required=False, help_text="One of the project's statuses; empty: its first PENDING one."
    )

    class Meta:
        model = WorkOrder
        fields = [
            "label",
            "labels",
            "description",
            "work_order_type",
            "project",
            "location",
            "begin_date",
            "due_date",
            "current_status",
            "input_filter",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.project_id is not None:
            self.fields["current_status"].vocabulary = self.instance.project.effective_statuses


@admin.register(WorkOrder)
class WorkOrderAdmin(ServiceImportMixin, CustomFieldsAdminMixin, EntityAdmin):
    form = WorkOrderAdminForm
    resource_classes = [WorkOrderResource]
    inlines = [LineInline]
    list_display = ["label", "customer", "project", "status", "due_date", "progress", labels_column]
    list_filter = [
        StatusCategoryFilter,
        ("project__program__customer", admin.RelatedOnlyFieldListFilter),
        ("due_date", DateRangeFilter),
        LabelFilter,
    ]
    list_select_related = ["project__program__customer"]
    search_fields = ["label", "public_id", "project__label", "project__program__customer__label"]
    autocomplete_fields = ["project", "location"]
    readonly_fields = [
        "start_date",
        "end_date",
        "public_id",
        "created",
        "updated",
        "bill_of_materials",
    ]
    ordering = [F("due_date").asc(nulls_last=True), "id"]  # undated work orders last

    change_form_template = "admin/workorders/workorder/change_form.html"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            # The project is picked on this same form: a new work order starts at its first
            # PENDING status, and its page then offers the project's statuses.
            fields = [name for name in fields if name != "current_status"]
        fields = [name for name in fields if name != "bill_of_materials"]
        return fields if obj is None else [*fields, "bill_of_materials"]

    @admin.display(description="Bill of materials")
    def bill_of_materials(self, work_order):
        """The parts its workflows allocate, against the units of them free at its location."""
        if work_order.location_id is None:
            return "Set the work order's location to see its parts against the stock there."
        rows = []
        for work_flow in WorkFlow.objects.filter(lines__work_order=work_order).distinct():
            bom = boms_at(work_flow, [work_order.location])[work_order.location_id]
            rows += [
                (work_flow.label, line.part.label, line.needed, line.available)
                for line in bom.parts
            ]
        if not rows:
            return "Its workflows allocate no parts."
        return format_html(
            '<table class="bom"><thead><tr><th>Workflow</th><th>Part</th><th>Needed here</th>'
            "<th>Free here</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def get_rows(self, request):
        return (
            super()
            .get_rows(request)
            .annotate(units_needed=Sum("lines__needed"), units_complete=complete_units())
        )

    @admin.display(description="Customer", ordering="project__program__customer__label")
    def customer(self, work_order):
        return work_order.project.program.customer

    @admin.display(description="Status", ordering="current_status")
    def status(self, work_order):
        return status_badge(work_order.current_status)

    @admin.display(description="Progress", ordering="units_needed")
    def progress(self, work_order):
        return f"{work_order.units_complete} / {work_order.units_needed or 0} complete"

    save_service = staticmethod(services.work_order_save)
    delete_service = staticmethod(services.work_order_delete)

    def save_formset(self, request, form, formset, change):
        if formset.model is not WorkOrderLine:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills the lists the admin's change message reads
        services.replace_lines(form.instance, formset.lines, actor=request.user)


class WorkFlowAdminForm(StepErrorsMixin, ModelErrorsOnFormMixin, forms.ModelForm):
    class Meta:
        model = WorkFlow
        widgets = {
            "steps": StepsWidget,
            "triggered_by": PrettyJSONWidget(attrs={"rows": 3}),
            "metadata": PrettyJSONWidget(attrs={"rows": 3}),
        }
        help_texts = {
            "steps": (
                "Keys are lower-case words joined by hyphens ({STEP_KEY_PATTERN}, at least 3 "
                'characters); every step has a type and a label; every step but "success" and '
                '"fail" names the next one. User steps say what the technician does, function '
                "steps what Niagara does. In JSON: an object of steps by key, the type as "
                '"step_type", the targets as "goto" and "goto-fail".'
            ).replace("{STEP_KEY_PATTERN}", STEP_KEY_PATTERN),
            "starts_at": "The key of the first step (blank: the first row).",
        }
        fields = [
            "label",
            "schema_version",
            "applies_to",
            "triggered_by",
            "starts_at",
            "steps",
            "metadata",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].required = False


@admin.register(WorkFlow)
class WorkFlowAdmin(EntityAdmin):
    form = WorkFlowAdminForm
    list_display = ["label", "applies_to", "workflow_version", "work_order_count", "updated"]
    list_filter = ["applies_to"]
    search_fields = ["label", "slug", "public_id"]
    readonly_fields = [
        "flow",
        "workflow_version",
        "slug",
        "used_by",
        "public_id",
        "created",
        "updated",
    ]
    fieldsets = [
        (None, {"fields": ["label", "applies_to", "starts_at", "steps"]}),
        ("The flow, as saved", {"fields": ["flow"]}),
        (
            "Advanced: events and metadata (JSON, for integrations)",
            {"fields": ["schema_version", "triggered_by", "metadata"], "classes": ["collapse"]},
        ),
        ("Record", {"fields": ["workflow_version", "slug", "used_by", "created", "updated"]}),
    ]
    ordering = ["label"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # nothing saved yet to preview or to record
            return [f for f in fieldsets if f[0] not in ("The flow, as saved", "Record")]
        return fieldsets

    @admin.display(description="Flow")
    def flow(self, work_flow):
        """The steps in the order a device meets them, each with where it goes next and on
        failure: the graph, read top to bottom."""
        rows = [
            (
                index,
                step["label"],
                step.get("next") or "—",
                step.get("on_failure") or "—",
                " (QC)" if step["qc"] else "",
            )
            for index, step in enumerate(flow_of(work_flow.steps, work_flow.starts_at), 1)
        ]
        if not rows:
            return "No steps yet"
        header = format_html(
            "<table class='workflow-flow'><thead><tr><th>#</th><th>Step</th><th>Then</th>"
            "<th>On failure</th></tr></thead><tbody>"
        )
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}{}</td><td>→ {}</td><td>✗ {}</td></tr>",
            ((i, label, qc, then, fail) for i, label, then, fail, qc in rows),
        )
        return header + body + format_html("</tbody></table>")

    def get_rows(self, request):
        return (
            super()
            .get_rows(request)
            .annotate(work_order_count=Count("lines__work_order", distinct=True))
        )

    @admin.display(description="Work orders", ordering="work_order_count")
    def work_order_count(self, work_flow):
        return work_flow.work_order_count

    @admin.display(description="Used by")
    def used_by(self, work_flow):
        lines = work_flow.lines.select_related("work_order", "work_flow_version")
        rows = [
            (
                reverse("admin:workorders_workorder_change", args=[line.work_order_id]),
                line.work_order.label,
                line.needed,
                line.work_flow_version.version,
            )
            for line in lines
        ]
        if not rows:
            return "No work order yet"
        return format_html_join("", '<div><a href="{}">{}</a>: {} units on version {}</div>', rows)

    save_service = staticmethod(services.workflow_save)
    delete_service = staticmethod(services.workflow_delete)
