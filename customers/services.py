"""Writes to customers and contacts: the one path the API, the admin and commands share.

Every function takes the acting user explicitly; it is recorded in the change history and as the
``created`` relation of what it creates.
"""

from django.db import transaction

from niagara.errors import Conflict
from relations.models import RelationType
from relations.services import delete_entity, relation_ensure, save_entity

from .models import Contact, Customer
from .statuses import normalize_statuses


@transaction.atomic
def customer_save(customer: Customer, *, actor) -> Customer:
    """Validate and store a new or edited customer."""
    taken = Customer.objects.filter(label__iexact=customer.label.strip()).exclude(pk=customer.pk)
    if taken.exists():
        raise Conflict(f'A customer labelled "{customer.label}" already exists')
    customer.label = customer.label.strip()
    customer.full_clean()
    customer.allowed_statuses = normalize_statuses(customer.allowed_statuses)
    return save_entity(customer, actor=actor)


def customer_create(
    *, actor, label: str, allowed_statuses: list, external_platform=None
) -> Customer:
    customer = Customer(
        label=label, allowed_statuses=allowed_statuses, external_platform=external_platform or {}
    )
    return customer_save(customer, actor=actor)


def customer_update(
    *, actor, customer: Customer, label: str, allowed_statuses: list, external_platform=None
) -> Customer:
    """Replace the customer's editable fields (PUT semantics: omitted means default)."""
    customer.label = label
    customer.allowed_statuses = allowed_statuses
    customer.external_platform = external_platform or {}
    return customer_save(customer, actor=actor)


@transaction.atomic
def customer_delete(*, actor, customer: Customer) -> None:
    """Delete a customer with its relations (its contacts stay, unlinked).

    Dependent records (programs, work orders, …) reference customers with ``PROTECT``; the
    resulting ``ProtectedError`` is answered as 423 Locked and nothing is deleted.
    """
    delete_entity(customer, actor=actor)


@transaction.atomic
def contact_save(contact: Contact, *, actor) -> Contact:
    """Validate and store a new or edited contact; e-mail addresses are unique."""
    contact.email = contact.email.strip()
    taken = Contact.objects.filter(email__iexact=contact.email).exclude(pk=contact.pk)
    if taken.exists():
        raise Conflict(f'A contact with the e-mail address "{contact.email}" already exists')
    contact.full_clean()
    return save_entity(contact, actor=actor)


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> None:
    """Delete a contact; it is unlinked from every customer."""
    delete_entity(contact, actor=actor)


@transaction.atomic
def contact_attach(
    *, actor, customer: Customer, label: str, name: str, email: str, phone: str | None = None
) -> Contact:
    """Link the contact with this e-mail to the customer, creating it if it is new.

    An existing contact is linked as it is: the body's other fields do not overwrite it. The link
    is the relation "CONTACT contact CUSTOMER".
    """
    contact = Contact.objects.filter(email__iexact=email.strip()).first()
    if contact is None:
        contact = Contact(label=label, name=name, email=email, phone=phone or "")
        contact = contact_save(contact, actor=actor)
    relation_ensure(subject=contact, obj=customer, relation=RelationType.CONTACT)
    return contact
