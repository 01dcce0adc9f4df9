"""Writes to customers and contacts: the one path the API, the admin and commands share."""

from django.db import transaction

from niagara.errors import Conflict

from .models import Contact, Customer
from .statuses import normalize_statuses


@transaction.atomic
def customer_save(customer: Customer) -> Customer:
    """Validate and store a new or edited customer."""
    taken = Customer.objects.filter(label__iexact=customer.label.strip()).exclude(pk=customer.pk)
    if taken.exists():
        raise Conflict(f'A customer labelled "{customer.label}" already exists')
    customer.label = customer.label.strip()
    customer.full_clean()
    customer.allowed_statuses = normalize_statuses(customer.allowed_statuses)
    customer.save()
    return customer


def customer_create(*, label: str, allowed_statuses: list, external_platform=None) -> Customer:
    customer = Customer(
        label=label, allowed_statuses=allowed_statuses, external_platform=external_platform or {}
    )
    return customer_save(customer)


def customer_update(
    *, customer: Customer, label: str, allowed_statuses: list, external_platform=None
) -> Customer:
    """Replace the customer's editable fields (PUT semantics: omitted means default)."""
    customer.label = label
    customer.allowed_statuses = allowed_statuses
    customer.external_platform = external_platform or {}
    return customer_save(customer)


@transaction.atomic
def customer_delete(*, customer: Customer) -> None:
    """Delete a customer and its contact links (the contacts themselves stay).

    Dependent records (programs, work orders, …) reference customers with ``PROTECT``; the
    resulting ``ProtectedError`` is answered as 423 Locked and nothing is deleted.
    """
    customer.delete()


@transaction.atomic
def contact_save(contact: Contact) -> Contact:
    """Validate and store a new or edited contact; e-mail addresses are unique."""
    contact.email = contact.email.strip()
    taken = Contact.objects.filter(email__iexact=contact.email).exclude(pk=contact.pk)
    if taken.exists():
        raise Conflict(f'A contact with the e-mail address "{contact.email}" already exists')
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_attach(
    *, customer: Customer, label: str, name: str, email: str, phone: str | None = None
) -> Contact:
    """Link the contact with this e-mail to the customer, creating it if it is new.

    An existing contact is linked as it is: the body's other fields do not overwrite it.
    """
    contact = Contact.objects.filter(email__iexact=email.strip()).first()
    if contact is None:
        contact = contact_save(Contact(label=label, name=name, email=email, phone=phone or ""))
    customer.contacts.add(contact)
    return contact
