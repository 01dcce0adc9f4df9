"""Writes to customers and contacts: the one path the API, the admin and commands share.

Every function takes the acting user explicitly; it is recorded in the change history and as the
``created`` relation of what it creates.
"""

from django.db import transaction

from niagara.errors import Conflict
from niagara.input_filters import normalize_input_filter
from relations.models import RelationType
from relations.services import delete_entity, relation_ensure, save_entity

from .models import Contact, Customer, Program, Project
from .statuses import narrow_statuses, normalize_statuses


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
    contact.input_filter = normalize_input_filter(contact.input_filter)
    return save_entity(contact, actor=actor)


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> None:
    """Delete a contact; it is unlinked from every customer."""
    delete_entity(contact, actor=actor)


@transaction.atomic
def contact_attach(
    *,
    actor,
    customer: Customer,
    label: str,
    name: str,
    email: str,
    phone: str | None = None,
    input_filter=None,
) -> Contact:
    """Link the contact with this e-mail to the customer, creating it if it is new.

    An existing contact is linked as it is: the body's other fields do not overwrite it. The link
    is the relation "CONTACT contact CUSTOMER".
    """
    contact = Contact.objects.filter(email__iexact=email.strip()).first()
    if contact is None:
        contact = contact_create(
            actor=actor, label=label, name=name, email=email, phone=phone, input_filter=input_filter
        )
    relation_ensure(subject=contact, obj=customer, relation=RelationType.CONTACT)
    return contact


def _normalize_documents(entity) -> None:
    """Fill in the optional keys of an entity's statuses and custom fields before storing."""
    if entity.allowed_statuses is not None:
        entity.allowed_statuses = narrow_statuses(entity.allowed_statuses, entity.parent_statuses)
    entity.input_filter = normalize_input_filter(entity.input_filter)


@transaction.atomic
def program_save(program: Program, *, actor) -> Program:
    """Validate and store a program: dates in order, statuses within its customer's, and no
    status dropped that one of its projects still uses."""
    program.full_clean()
    _normalize_documents(program)
    return save_entity(program, actor=actor)


def program_create(*, actor, customer: Customer, label: str, **fields) -> Program:
    return program_save(Program(customer=customer, label=label, **fields), actor=actor)


def program_update(*, actor, program: Program, **fields) -> Program:
    """Replace a program's fields (PUT: an omitted optional field returns to its default)."""
    _replace(program, fields, defaults=PROGRAM_DEFAULTS)
    return program_save(program, actor=actor)


@transaction.atomic
def program_delete(*, actor, program: Program) -> None:
    """Delete a program without projects (one with projects is Locked)."""
    delete_entity(program, actor=actor)


@transaction.atomic
def project_save(project: Project, *, actor) -> Project:
    """Validate and store a project: statuses within its program's, locked fields kept."""
    project.full_clean()
    _normalize_documents(project)
    return save_entity(project, actor=actor)


def project_create(*, actor, program: Program, label: str, **fields) -> Project:
    return project_save(Project(program=program, label=label, **fields), actor=actor)


def project_update(*, actor, project: Project, **fields) -> Project:
    """Replace a project's fields; a new ``program`` moves it (its statuses are re-checked)."""
    _replace(project, fields, defaults=PROJECT_DEFAULTS)
    return project_save(project, actor=actor)


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    delete_entity(project, actor=actor)


PROGRAM_DEFAULTS = {
    "start_date": None,
    "end_date": None,
    "allowed_statuses": None,
    "input_filter": list,
}
PROJECT_DEFAULTS = {**PROGRAM_DEFAULTS, "description": ""}


def _replace(entity, fields: dict, *, defaults: dict) -> None:
    for name, default in defaults.items():
        value = fields.pop(name, default)
        setattr(entity, name, value() if callable(value) else value)
    for name, value in fields.items():
        setattr(entity, name, value)


def contact_create(
    *, actor, label: str, name: str, email: str, phone: str = "", input_filter=None
) -> Contact:
    """Create a contact; an e-mail address already on file is a ``Conflict``."""
    contact = Contact(
        label=label, name=name, email=email, phone=phone or "", input_filter=input_filter or []
    )
    return contact_save(contact, actor=actor)


def contact_update(
    *, actor, contact: Contact, label: str, name: str, email: str, phone="", input_filter=None
) -> Contact:
    """Replace a contact's fields (PUT); its links to customers are kept."""
    contact.label, contact.name, contact.email = label, name, email
    contact.phone = phone or ""
    contact.input_filter = input_filter or []
    return contact_save(contact, actor=actor)
