"""What the floor's bulk actions ask for: a page with a form built from the selection."""

from django import forms
from django.db import transaction
from django.shortcuts import render

from customers.forms import StatusChoiceField
from customers.models import Customer

# How a batch and a cycle reach their customer (whose statuses the pickers list).
CUSTOMER_OF = "work_order__project__program__customer"


class StatusPerCustomerForm(forms.Form):
    """One status picker per customer of the selection, each listing that customer's statuses
    (a selection may span customers, each with its own vocabulary)."""

    def __init__(self, data=None, *, customers: list[Customer], allow_none: bool):
        super().__init__(data)
        self.customers = customers
        for customer in customers:
            self.fields[f"status_{customer.pk}"] = StatusChoiceField(
                vocabulary=customer.allowed_statuses, allow_none=allow_none, label=customer.label
            )

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
        apply(queryset.filter(**{CUSTOMER_OF: customer}), form.status_for(customer))
