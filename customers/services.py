"""Writes to customers, contacts, programs and projects: the one path the API, the admin and
commands share.

Every function takes the acting user explicitly; it is recorded in the change history and as the
``created`` relation of what it creates. What a client may write of an entity is one dataclass
(``CustomerFields`` …) whose defaults say what an omitted field means on ``PUT``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from niagara.errors import Conflict
from niagara.models import replace_fields
from relations.models import RelationType
from relations.services import delete_entity, relation_ensure, save_entity

from .input_filters import normalize_input_filter
from .models import Contact, Customer, Program, Project, ShopSettings
from .statuses import MAX_TENANT_STATUSES, narrow_statuses, normalize_statuses


@dataclass(kw_only=True)
class CustomerFields:
    label: str
    allowed_statuses: list[dict]
    external_platform: dict = field(default_factory=dict)
    is_active: bool = True
    labels: list[str] = field(default_factory=list)


def check_active(customer: Customer) -> None:
    """Refuse new work for an inactive customer (``Conflict``): it keeps what it has."""
    if not customer.is_active:
        raise Conflict(f'The customer "{customer}" is inactive: it takes no new work')


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


def customer_create(*, actor, fields: CustomerFields) -> Customer:
    return customer_save(replace_fields(Customer(), fields), actor=actor)


def customer_update(customer: Customer, /, *, actor, fields: CustomerFields) -> Customer:
    """Replace the customer's editable fields (PUT)."""
    return customer_save(replace_fields(customer, fields), actor=actor)


@transaction.atomic
def customer_delete(customer: Customer, /, *, actor) -> None:
    """Delete a customer with its relations (its contacts stay, unlinked).

    Dependent records (programs, work orders, …) reference customers with ``PROTECT``; the
    resulting ``ProtectedError`` is answered as 423 Locked and nothing is deleted.
    """
    delete_entity(customer, actor=actor)


@dataclass(kw_only=True)
class ContactFields:
    label: str
    name: str
    email: str
    phone: str = ""
    input_filter: list[dict] = field(default_factory=list)


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


def contact_create(*, actor, fields: ContactFields) -> Contact:
    """Create a contact; an e-mail address already on file is a ``Conflict``."""
    return contact_save(replace_fields(Contact(), fields), actor=actor)


def contact_update(contact: Contact, /, *, actor, fields: ContactFields) -> Contact:
    """Replace a contact's fields (PUT); its links to customers are kept."""
    return contact_save(replace_fields(contact, fields), actor=actor)


@transaction.atomic
def contact_delete(contact: Contact, /, *, actor) -> None:
    """Delete a contact; it is unlinked from every customer."""
    delete_entity(contact, actor=actor)


@transaction.atomic
def contact_attach(*, actor, customer: Customer, fields: ContactFields) -> Contact:
    """Link the contact with this e-mail to the customer, creating it if it is new.

    An existing contact is linked as it is: the body's other fields do not overwrite it. The link
    is the relation "CONTACT contact CUSTOMER".
    """
    contact = Contact.objects.filter(email__iexact=fields.email.strip()).first()
    if contact is None:
        contact = contact_create(actor=actor, fields=fields)
    relation_ensure(subject=contact, obj=customer, relation=RelationType.CONTACT)
    return contact


def _normalize_documents(entity: Program | Project) -> None:
    """Fill in the optional keys of an entity's statuses and custom fields before storing."""
    if entity.allowed_statuses is not None:
        entity.allowed_statuses = narrow_statuses(entity.allowed_statuses, entity.parent_statuses)
    entity.input_filter = normalize_input_filter(entity.input_filter)


@dataclass(kw_only=True)
class ProgramFields:
    """A program; ``allowed_statuses`` None inherits (and follows) the customer's."""

    customer: Customer
    label: str
    start_date: datetime | None = None
    end_date: datetime | None = None
    allowed_statuses: list[dict] | None = None
    input_filter: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@transaction.atomic
def program_save(program: Program, *, actor) -> Program:
    """Validate and store a program: dates in order, statuses within its customer's, and no
    status dropped that one of its projects still uses."""
    program.full_clean()
    _normalize_documents(program)
    return save_entity(program, actor=actor)


def program_create(*, actor, fields: ProgramFields) -> Program:
    check_active(fields.customer)
    return program_save(replace_fields(Program(), fields), actor=actor)


def program_update(program: Program, /, *, actor, fields: ProgramFields) -> Program:
    """Replace a program's fields (PUT: an omitted optional field returns to its default)."""
    return program_save(replace_fields(program, fields), actor=actor)


@transaction.atomic
def program_delete(program: Program, /, *, actor) -> None:
    """Delete a program without projects (one with projects is Locked)."""
    delete_entity(program, actor=actor)


@dataclass(kw_only=True)
class ProjectFields:
    """A project; ``allowed_statuses`` None inherits (and follows) the program's."""

    program: Program
    label: str
    description: str = ""
    start_date: datetime | None = None
    end_date: datetime | None = None
    allowed_statuses: list[dict] | None = None
    input_filter: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@transaction.atomic
def project_save(project: Project, *, actor) -> Project:
    """Validate and store a project: statuses within its program's, locked fields kept."""
    project.full_clean()
    _normalize_documents(project)
    return save_entity(project, actor=actor)


def project_create(*, actor, fields: ProjectFields) -> Project:
    check_active(fields.program.customer)
    return project_save(replace_fields(Project(), fields), actor=actor)


def project_update(project: Project, /, *, actor, fields: ProjectFields) -> Project:
    """Replace a project's fields; a new ``program`` moves it (its statuses are re-checked)."""
    return project_save(replace_fields(project, fields), actor=actor)


@transaction.atomic
def project_delete(project: Project, /, *, actor) -> None:
    delete_entity(project, actor=actor)


def _shop_settings() -> ShopSettings:
    """The settings row, locked for the change (made on the first change)."""
    ShopSettings.objects.get_or_create(pk=1)
    return ShopSettings.objects.select_for_update().get(pk=1)


@transaction.atomic
def tenant_statuses_set(*, actor, statuses: list[dict]) -> list[dict]:
    """Replace the shop's status vocabulary (what new customers start from); customers that
    exist keep their own."""
    settings = _shop_settings()
    settings.statuses = normalize_statuses(statuses)
    settings.full_clean()
    settings._history_user = actor
    settings.save()
    return settings.statuses


@transaction.atomic
def tenant_status_add(*, actor, status: dict) -> list[dict]:
    """Add a status to the shop's vocabulary (``POST /settings/statuses``): the list with it.
    A label already there (in any case) or a 101st status is a ``Conflict`` with what the
    shop has (as every taken label is), and changes nothing."""
    statuses = _shop_settings().statuses
    key = status["status"].strip().casefold()
    if any(item["status"].strip().casefold() == key for item in statuses):
        raise Conflict(f'"{status["status"]}" is already one of the shop\'s statuses')
    if len(statuses) >= MAX_TENANT_STATUSES:
        raise Conflict(f"The shop has {MAX_TENANT_STATUSES} statuses, the most it keeps")
    item = {**status}
    item.setdefault("order", max((each.get("order") or 0 for each in statuses), default=0) + 1)
    return tenant_statuses_set(actor=actor, statuses=[*statuses, item])
