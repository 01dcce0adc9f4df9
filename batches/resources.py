"""Batches from spreadsheets: each row places batches of a work order in a queue, through
``batches_create`` (the capacity rule holds; a file with one failing row places nothing).

Columns: ``work_order`` (``Customer / Program / Project / Work order``), ``queue``
(``Queue · Location``), ``number_cycles`` and ``total`` (how many such batches, default 1).
"""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from customers.statuses import category_counts
from niagara.errors import NiagaraError
from niagara.exchange import PathWidget, ServiceResource
from niagara.exports import PeopleExport, TextWidget, people_export
from queues.models import Queue
from workorders.models import WorkOrder

from . import services
from .models import Batch, Cycle
from .selectors import technicians_of


class QueueWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Queue, **kwargs)

    def clean(self, value, row=None, **kwargs):
        label, _, location = str(value or "").partition("·")
        found = Queue.objects.filter(
            label__iexact=label.strip(), location__label__iexact=location.strip()
        ).first()
        if found is None:
            raise ValueError(f'no queue "{value}" (write it "Queue · Location")')
        return found

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


class BatchResource(ServiceResource):
    COLUMN_HELP = {
        "work_order": "“Customer / Program / Project / Work order”: the label of each level, "
        "separated by “ / ”",
        "queue": "“Queue · Location”: the queue's label, a middle dot, its location's label",
        "number_cycles": "units in each batch: a whole number",
        "total": "how many such batches to place: a whole number (empty: 1)",
    }
    EXAMPLE = [
        {
            "work_order": "Northwind Retail / North-east stores / New York stores refresh / "
            "500 iPads for New York stores",
            "queue": "Fast Lane · Albany fulfilment center",
            "number_cycles": "10",
            "total": "30",
        }
    ]
    work_order = fields.Field(
        attribute="work_order",
        column_name="work_order",
        widget=PathWidget(
            WorkOrder,
            (
                "project__program__customer__label",
                "project__program__label",
                "project__label",
                "label",
            ),
            hint="Customer / Program / Project / Work order",
        ),
    )
    queue = fields.Field(attribute="queue", column_name="queue", widget=QueueWidget())
    number_cycles = fields.Field(column_name="number_cycles", readonly=True)
    total = fields.Field(column_name="total", readonly=True)

    class Meta:
        model = Batch
        fields = ("work_order", "queue", "number_cycles", "total")
        import_id_fields = ()  # every row places new batches
        use_transactions = True
        skip_unchanged = False
        clean_model_instances = False

    def get_instance(self, instance_loader, row):
        return None

    def dehydrate_number_cycles(self, batch):
        return batch.cycles.count()

    def dehydrate_total(self, batch):
        # On export one row is one batch; an import's preview shows the row's own count.
        return getattr(batch, "imported_total", 1)

    def save_instance(self, instance, is_create, row, **kwargs):
        counts = {}
        for name, default in (("number_cycles", None), ("total", 1)):
            raw = str(row.get(name) or "").strip() or (str(default) if default else "")
            if not raw.isdigit() or int(raw) < 1:
                raise ValidationError({name: "should be a whole number >= 1"})
            counts[name] = int(raw)
        try:
            [first, *_] = services.batches_create(
                actor=self.actor, work_order=instance.work_order, queue=instance.queue, **counts
            )
        except NiagaraError as exc:
            raise ValidationError({"number_cycles": exc.detail}) from exc
        # The row's instance is what the preview shows: the first batch placed, and how many.
        instance.pk, instance.label, instance.order = first.pk, first.label, first.order
        instance.imported_total = counts["total"]


class BatchPeopleExportBase(PeopleExport):
    """A batch as its list shows it: where it runs, how far it is, who works on it."""

    def filter_export(self, queryset, **kwargs):
        counted = queryset.annotate(**category_counts("cycles"))
        return super().filter_export(counted).select_related("queue__location")

    def prepare_chunk(self, rows):
        self.technicians = technicians_of([row.pk for row in rows])

    def dehydrate_technicians(self, batch):
        return ", ".join(self.technicians.get(batch.pk, []))


def _counter(name: str, column: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=column, widget=TextWidget())


BatchPeopleExport = people_export(
    Batch,
    base=BatchPeopleExportBase,
    extra={
        "location": _counter("queue__location__label", "Location"),
        "pending": _counter("pending", "Pending"),
        "in_progress": _counter("in_progress", "In progress"),
        "verifying": _counter("verifying", "Verifying"),
        "blocked": _counter("blocked", "Blocked"),
        "complete": _counter("complete", "Complete"),
        "cancelled": _counter("cancelled", "Cancelled"),
        "technicians": fields.Field(column_name="Technicians"),
    },
)


class CyclePeopleExportBase(PeopleExport):
    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset).select_related("batch__queue", "unit")


CyclePeopleExport = people_export(
    Cycle,
    base=CyclePeopleExportBase,
    extra={
        "serial": _counter("unit__raw_serial_number", "Serial number"),
        "queue": _counter("batch__queue__label", "Queue"),
    },
)
