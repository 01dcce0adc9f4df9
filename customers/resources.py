"""Customers and projects to and from spreadsheets (django-import-export), through the
customer services.

A customer is a row: ``label`` and ``statuses``, written ``Pending=PENDING; Imaging=IN_PROGRESS``
(each status label and its category, in order). An existing label updates that customer. A
project is a row: ``program`` (``Customer / Program``), ``label``, ``description`` and
``statuses`` (empty: the program's); an existing label in that program updates it.
"""

from import_export import fields, widgets

from niagara.exchange import PathWidget, ServiceResource, labels_cell

from . import services
from .models import Customer, Program, Project


class StatusesWidget(widgets.Widget):
    """``Pending=PENDING; Imaging=IN_PROGRESS`` ↔ the statuses document."""

    def clean(self, value, row=None, **kwargs):
        statuses = []
        for part in str(value or "").split(";"):
            if not part.strip():
                continue
            label, _, category = part.partition("=")
            statuses.append({"status": label.strip(), "category": category.strip().upper()})
        return statuses

    def render(self, value, obj=None, **kwargs):
        return "; ".join(f"{s['status']}={s['category']}" for s in value or [])


class CustomerResource(ServiceResource):
    COLUMN_HELP = {
        "label": "the customer's name; an existing one is updated",
        "statuses": "its statuses in order, each “label=CATEGORY”, separated by “; ” "
        "(categories: PENDING, IN_PROGRESS, VERIFYING, BLOCKED, COMPLETE, CANCELLED)",
    }
    EXAMPLE = [
        {
            "label": "Fabrikam Health",
            "statuses": "Received=PENDING; Imaging=IN_PROGRESS; QC=VERIFYING; On hold=BLOCKED; "
            "Shipped=COMPLETE; Cancelled=CANCELLED",
            "labels": "healthcare",
        }
    ]
    label = fields.Field(attribute="label", column_name="label")
    statuses = fields.Field(
        attribute="allowed_statuses", column_name="statuses", widget=StatusesWidget()
    )
    labels = labels_cell()

    save_service = staticmethod(services.customer_save)

    class Meta:
        model = Customer
        fields = ("label", "statuses", "labels")
        import_id_fields = ("label",)
        use_transactions = True
        skip_unchanged = False
        clean_model_instances = False  # the service validates (and words) every rule


PROGRAM_PATH = PathWidget(Program, ("customer__label", "label"), hint="Customer / Program")


class OptionalStatusesWidget(StatusesWidget):
    """Statuses, or none (the parent's, followed) when the cell is empty."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None


class ProjectResource(ServiceResource):
    COLUMN_HELP = {
        "label": "the project's name; an existing one in that program is updated",
        "description": "free text; may be empty",
        "statuses": "empty for the program's statuses, or its own as “label=CATEGORY; …”",
    }
    EXAMPLE = [
        {
            "program": "Northwind Retail / North-east stores",
            "label": "Chicago stores",
            "description": "Tablets for the twelve Chicago stores",
            "statuses": "",
            "labels": "chicago",
        }
    ]
    program = fields.Field(
        attribute="program",
        column_name="program",
        widget=PROGRAM_PATH,
    )
    label = fields.Field(attribute="label", column_name="label")
    description = fields.Field(attribute="description", column_name="description")
    labels = labels_cell()
    statuses = fields.Field(
        attribute="allowed_statuses", column_name="statuses", widget=OptionalStatusesWidget()
    )
    save_service = staticmethod(services.project_save)

    class Meta:
        model = Project
        fields = ("program", "label", "description", "statuses", "labels")
        import_id_fields = ("program", "label")
        use_transactions = True
        skip_unchanged = False
        clean_model_instances = False
