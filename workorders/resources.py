"""Work orders to and from spreadsheets, through ``work_order_save``.

A work order is a row: ``project`` (``Customer / Program / Project``), ``label``, ``begin_date``
and ``due_date`` (ISO 8601), ``needed`` and ``workflow`` (a workflow's label) — its one line. An
existing label in that project updates it.
"""

from django.core.exceptions import ValidationError
from import_export import fields

from customers.models import Project
from niagara.errors import NiagaraError
from niagara.exchange import IsoDateTimeWidget, PathWidget, ServiceResource, labels_cell

from . import services
from .models import WorkFlow, WorkOrder


class WorkOrderResource(ServiceResource):
    COLUMN_HELP = {
        "label": "the work order's name; an existing one in that project is updated",
        "needed": "how many units to produce: a whole number (with workflow)",
        "workflow": "the label of the workflow the units go through (with needed)",
    }
    EXAMPLE = [
        {
            "project": "Northwind Retail / North-east stores / New York stores refresh",
            "label": "600 tablets for Chicago",
            "begin_date": "2026-12-14",
            "due_date": "2027-01-29 17:00",
            "labels": "tablets, chicago",
            "needed": "600",
            "workflow": "Provision iPad for retail",
        }
    ]
    project = fields.Field(
        attribute="project",
        column_name="project",
        widget=PathWidget(
            Project,
            ("program__customer__label", "program__label", "label"),
            hint="Customer / Program / Project",
        ),
    )
    label = fields.Field(attribute="label", column_name="label")
    begin_date = fields.Field(
        attribute="begin_date", column_name="begin_date", widget=IsoDateTimeWidget()
    )
    due_date = fields.Field(
        attribute="due_date", column_name="due_date", widget=IsoDateTimeWidget()
    )
    labels = labels_cell()
    needed = fields.Field(column_name="needed", readonly=True)
    workflow = fields.Field(column_name="workflow", readonly=True)

    class Meta:
        model = WorkOrder
        fields = ("project", "label", "begin_date", "due_date", "labels", "needed", "workflow")
        import_id_fields = ("project", "label")
        use_transactions = True
        skip_unchanged = False
        clean_model_instances = False

    def dehydrate_needed(self, work_order):
        return sum(line.needed for line in work_order.lines.all())

    def dehydrate_workflow(self, work_order):
        return ", ".join(line.work_flow.label for line in work_order.lines.all())

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            services.work_order_save(instance, actor=self.actor, lines=self._lines(row))
        except NiagaraError as exc:
            raise ValidationError({"label": exc.detail}) from exc

    def _lines(self, row) -> list[services.LineSpec] | None:
        needed, label = str(row.get("needed") or "").strip(), str(row.get("workflow") or "").strip()
        if not needed and not label:
            return None  # the lines stay as they are
        work_flow = WorkFlow.objects.filter(label__iexact=label).order_by("pk").first()
        if work_flow is None:
            raise ValidationError({"workflow": f'no workflow labelled "{label}"'})
        if not needed.isdigit() or int(needed) < 1:
            raise ValidationError({"needed": "should be a whole number >= 1"})
        return [{"needed": int(needed), "work_flow": work_flow}]
