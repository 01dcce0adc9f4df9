"""Reads of customers, contacts, programs and projects, shaped for what renders them."""

from django.db.models import Prefetch, QuerySet

from niagara.querysets import built_once
from relations.models import Direction, RelationType
from relations.selectors import related_ids

from .models import Contact, Customer, Program, Project, ShopSettings
from .statuses import DEFAULT_STATUSES


def customer_contacts(customer: Customer) -> QuerySet[Contact]:
    """Return the contacts linked to ``customer`` ("CONTACT contact CUSTOMER" relations)."""
    ids = related_ids(
        customer, relation=RelationType.CONTACT, model=Contact, direction=Direction.INWARD
    )
    return Contact.objects.filter(pk__in=ids)


@built_once
def programs_for_display() -> QuerySet[Program]:
    """Programs with what their serializer renders: the customer and its counters."""
    return Program.objects.prefetch_related(
        Prefetch("customer", queryset=Customer.objects.with_counters())
    )


@built_once
def projects_for_display() -> QuerySet[Project]:
    """Projects with their program, its customer and the customer's counters."""
    return Project.objects.prefetch_related(Prefetch("program", queryset=programs_for_display()))


def tenant_statuses() -> list[dict]:
    """The shop's status vocabulary, which new customers start from (the shipped six until
    the shop changes it), in its listing order."""
    stored = ShopSettings.objects.filter(pk=1).values_list("statuses", flat=True).first()
    return list(stored if stored is not None else DEFAULT_STATUSES)
