"""What the floor's bulk actions ask for: a page with a form built from the selection."""

from django import forms
from django.db import transaction
from django.shortcuts import render

from customers.forms import StatusChoiceField
from customers.models import Customer
from customers.statuses import StatusCategory

REASON_HELP = "Why: noted on each unit (or on the work order for cycles not started yet)."


def reason_field() -> forms.CharField:
    """The reason a person gives for cancelling cycles (required then, see ``needs_reason``)."""
    return forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


def needs_reason(form: forms.Form, statuses, field: str = "reason") -> None:
    """Add an error on ``field`` when one of ``statuses`` cancels and no reason was given."""
    cancels = any(
        isinstance(status, dict) and status.get("category") == StatusCategory.CANCELLED
        for status in statuses
    )
    if cancels and not (form.cleaned_data.get(field) or "").strip():
        form.add_error(field, "Say why: cancelling ends the unit's run and is kept on record.")


# How a batch and a cycle reach their customer (whose statuses the pickers list).
CUSTOMER_OF = "work_order__project__program__customer"


class StatusPerCustomerForm(forms.Form):
    """One status picker per customer of the selection, each listing that customer's statuses
    (a selection may span customers, each with its own vocabulary)."""

    def __init__(
        self, data=None, *, customers: list[Customer], allow_none: bool, ask_reason: bool = False
    ):
        super().__init__(data)
        self.customers = customers
        for customer in customers:
            self.fields[f"status_{customer.pk}"] = StatusChoiceField(
                vocabulary=customer.allowed_statuses, allow_none=allow_none, label=customer.label
            )
        if ask_reason:
            self.fields["reason"] = reason_field()

    def clean(self):
        cleaned = super().clean()
        if "reason" in self.fields:
            needs_reason(self, [cleaned.get(f"status_{c.pk}") for c in self.customers])
        return cleaned

    @property
    def reason(self) -> str:
        return (self.cleaned_data.get("reason") or "").strip()

    def status_for(self, customer: Customer) -> dict | None:
        return self.cleaned_data[f"status_{customer.pk}"]


def customers_of(queryset) -> list[Customer]:
    """Return the customers of the selected batches or cycles, by label (one query)."""
    ids = queryset.order_by().values(CUSTOMER_OF)
    return list(Customer.objects.filter(pk__in=ids).order_by("label", "pk"))


def ask(model_admin, request, queryset, form_class, *, title: str, action: str, **form_kwargs):
    """Return the action's form, and the page asking for it unless it came back valid."""
    form = form_class(request.POST if "apply" in request.POST else None, **form_kwargs)
    if form.is_valid():
        return form, None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": action,
        "opts": model_admin.model._meta,
    }
    return form, render(request, "admin/batches/action_form.html", context)


@transaction.atomic
def per_customer(queryset, form: StatusPerCustomerForm, apply) -> None:
    """Call ``apply(rows, status)`` for the rows of each customer with the status picked for it
    (all or nothing: one failure rolls every customer back)."""
    for customer in form.customers:
        apply(queryset.filter(**{CUSTOMER_OF: customer}), form.status_for(customer), form.reason)
