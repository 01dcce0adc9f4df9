"""Customers to and from spreadsheets (django-import-export), through the customer services.

A customer is a row: ``label`` and ``statuses``, written ``Pending=PENDING; Imaging=IN_PROGRESS``
(each status label and its category, in order). An existing label updates that customer.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from niagara.errors import NiagaraError

from . import services
from .models import Customer


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


class CustomerResource(resources.ModelResource):
    label = fields.Field(attribute="label", column_name="label")
    statuses = fields.Field(
        attribute="allowed_statuses", column_name="statuses", widget=StatusesWidget()
    )

    class Meta:
        model = Customer
        fields = ("label", "statuses")
        import_id_fields = ("label",)
        use_transactions = True
        skip_unchanged = False
        clean_model_instances = False  # the service validates (and words) every rule

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    def save_instance(self, instance, is_create, row, **kwargs):
        # Every row goes through the same service as the API and the admin forms; what it
        # refuses is that row's error, and the whole file is rolled back.
        try:
            services.customer_save(instance, actor=self.actor)
        except NiagaraError as exc:
            raise ValidationError({"label": exc.detail}) from exc
