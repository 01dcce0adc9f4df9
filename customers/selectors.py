"""Reads of customers and contacts."""

from django.db.models import QuerySet

from relations.models import Direction, RelationType
from relations.selectors import related_ids

from .models import Contact, Customer


def customer_contacts(customer: Customer) -> QuerySet[Contact]:
    """Return the contacts linked to ``customer`` ("CONTACT contact CUSTOMER" relations)."""
    ids = related_ids(
        customer, relation=RelationType.CONTACT, model=Contact, direction=Direction.INWARD
    )
    return Contact.objects.filter(pk__in=ids)
