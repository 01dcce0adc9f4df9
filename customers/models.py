from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from simple_history.models import HistoricalRecords

from niagara.jsonschemas import DocumentSchema, DocumentValidator
from niagara.labels import LabelsField
from niagara.models import Entity
from relations.registry import entities

from .input_filters import (
    INPUT_FILTER,
    input_filter_field,
    locked_redefinitions,
    normalize_input_filter,
)
from .statuses import ALLOWED_STATUSES, DEFAULT_STATUSES, describe, missing_from

# External platform identifiers: {"salesforce": "0015g00000XyZ", "netsuite": null}.
EXTERNAL_PLATFORM = DocumentSchema(
    {
        "type": "object",
        "description": "External identifiers for the customer",
        "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
        "additionalProperties": {"type": ["string", "null"]},
    }
)


class CustomerQuerySet(models.QuerySet):
    def with_counters(self):
        """Annotate ``total_programs`` and ``total_projects`` in the same query."""
        programs = _count(Program.objects.filter(customer=OuterRef("pk")), "customer")
        projects = _count(
            Project.objects.filter(program__customer=OuterRef("pk")), "program__customer"
        )
        return self.annotate(
            total_programs=Coalesce(Subquery(programs), 0),
            total_projects=Coalesce(Subquery(projects), 0),
        )


def _count(queryset, group_by: str):
    """Return a correlated subquery counting ``queryset``'s rows (for ``Subquery``)."""
    return queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")


def _valid_statuses(value) -> bool:
    return value is not None and not ALLOWED_STATUSES.errors(value)


def _check_dates(entity) -> None:
    if entity.start_date and entity.end_date and entity.start_date > entity.end_date:
        raise ValidationError(
            {"end_date": ValidationError("should be on or after start_date", code="dateOrder")}
        )


# Records of other apps that carry a status of these vocabularies (work orders, …). Each app
# registers a function ``(level, allowed) -> problems`` saying which of its records below the
# customer, program or project ``level`` would lose their status if ``allowed`` were in force.
StatusUsers = Callable[[models.Model, list[dict]], list[str]]
_status_users: list[StatusUsers] = []


def register_status_users(find: StatusUsers) -> None:
    """Have every status change below a level ask ``find`` too (call it from ready())."""
    if find not in _status_users:
        _status_users.append(find)


def _used_below(level: models.Model, allowed: list[dict]) -> list[str]:
    return [problem for find in _status_users for problem in find(level, allowed)]


def statuses_in_use(users: list[tuple[models.Model, list[dict]]], kind: str) -> list[str]:
    """Return "status … still used by <kind> …" for each user whose list is not allowed."""
    problems = []
    for user, missing in users:
        for item in missing:
            problems.append(
                f'status {describe(item)} is still used by {kind} "{user.label}" ({user.public_id})'
            )
    return problems


class Customer(Entity):
    """Whom the shop works for; the top of the customer → program → project tree."""

    label = models.CharField(max_length=200)
    labels = LabelsField()
    external_platform = models.JSONField(
        default=dict,
        blank=True,
        validators=[DocumentValidator("customers.models.EXTERNAL_PLATFORM")],
    )
    allowed_statuses = models.JSONField(
        validators=[DocumentValidator("customers.statuses.ALLOWED_STATUSES")],
        help_text="The customer's own status labels, each mapped to a category.",
    )
    is_active = models.BooleanField(
        default=True,
        help_text="An inactive customer takes no new programs, projects or work orders; what "
        "it has stays readable.",
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                name="customer_label_unique_ci",
                violation_error_message="A customer with this label already exists.",
            )
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.pk and _valid_statuses(self.allowed_statuses):
            self._check_statuses_still_cover_descendants()

    def _check_statuses_still_cover_descendants(self):
        """A status may not be removed while a program or project below still uses it."""
        programs = list(Program.objects.filter(customer=self))
        inheriting = {p.pk for p in programs if p.allowed_statuses is None}
        projects = Project.objects.filter(
            program__in=inheriting, allowed_statuses__isnull=False
        ).select_related("program")
        problems = (
            statuses_in_use(
                [
                    (program, missing_from(program.allowed_statuses, self.allowed_statuses))
                    for program in programs
                    if program.allowed_statuses is not None
                ],
                "program",
            )
            + statuses_in_use(
                [(p, missing_from(p.allowed_statuses, self.allowed_statuses)) for p in projects],
                "project",
            )
            + _used_below(self, self.allowed_statuses)
        )
        if problems:
            raise ValidationError(
                {"allowed_statuses": [ValidationError(p, code="inUse") for p in problems]}
            )


class HierarchyLevel(Entity):
    """A level below the customer (program, project) whose statuses narrow its parent's.

    ``allowed_statuses`` null means "inherit the parent's list" (and follow its changes).
    """

    label = models.CharField(max_length=200)
    labels = LabelsField()
    start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    allowed_statuses = models.JSONField(
        null=True,
        blank=True,
        help_text="A subset of the parent's statuses; empty means the parent's whole list.",
    )
    input_filter = input_filter_field()

    parent_field = ""  # the foreign key to the parent level

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def parent_statuses(self) -> list[dict]:
        raise NotImplementedError

    @property
    def effective_statuses(self) -> list[dict]:
        """Return the statuses in force: its own list, or else its parent's."""
        if self.allowed_statuses is not None:
            return self.allowed_statuses
        return self.parent_statuses

    def clean(self):
        _check_dates(self)
        if getattr(self, f"{self.parent_field}_id") is None:
            return
        self._check_statuses_narrow_parent()
        self.clean_against_relatives()

    def clean_against_relatives(self):
        """Check the rules that involve the parent or the children (hook)."""

    def _check_statuses_narrow_parent(self):
        if self.allowed_statuses is None:
            return
        errors = ALLOWED_STATUSES.errors(self.allowed_statuses)
        if errors:
            raise ValidationError(
                {
                    "allowed_statuses": [
                        ValidationError(f"{e.where()}: {e.message}", code=e.keyword) for e in errors
                    ]
                }
            )
        missing = missing_from(self.allowed_statuses, self.parent_statuses)
        if missing:
            raise ValidationError(
                {
                    "allowed_statuses": [
                        ValidationError(
                            f"status {describe(item)} is not allowed by the {self.parent_field}",
                            code="subset",
                        )
                        for item in missing
                    ]
                }
            )


class Program(HierarchyLevel):
    """A grouping of a customer's work (e.g. "North-east stores"); it holds projects."""

    customer = models.ForeignKey(Customer, models.PROTECT, related_name="programs")

    parent_field = "customer"

    class Meta:
        indexes = [models.Index(fields=["customer", "id"], name="program_customer_idx")]

    @property
    def parent_statuses(self) -> list[dict]:
        return self.customer.allowed_statuses

    def clean_against_relatives(self):
        if self.pk:
            self._check_statuses_still_cover_projects()

    def _check_statuses_still_cover_projects(self):
        effective = self.effective_statuses
        projects = self.projects.filter(allowed_statuses__isnull=False)
        problems = statuses_in_use(
            [(p, missing_from(p.allowed_statuses, effective)) for p in projects], "project"
        ) + _used_below(self, effective)
        if problems:
            raise ValidationError(
                {"allowed_statuses": [ValidationError(p, code="inUse") for p in problems]}
            )


class Project(HierarchyLevel):
    """A bounded body of work (typically one contract) inside a program; work orders live here."""

    description = models.TextField(blank=True)
    program = models.ForeignKey(Program, models.PROTECT, related_name="projects")

    parent_field = "program"

    class Meta:
        indexes = [models.Index(fields=["program", "id"], name="project_program_idx")]

    @property
    def customer(self) -> Customer:
        return self.program.customer

    @property
    def parent_statuses(self) -> list[dict]:
        return self.program.effective_statuses

    def clean_against_relatives(self):
        self._check_locked_fields()
        if self.pk:
            problems = _used_below(self, self.effective_statuses)
            if problems:
                raise ValidationError(
                    {"allowed_statuses": [ValidationError(p, code="inUse") for p in problems]}
                )

    def _check_locked_fields(self):
        if INPUT_FILTER.errors(self.input_filter):
            return
        inherited = normalize_input_filter(self.program.input_filter)
        own = normalize_input_filter(self.input_filter)
        redefined = locked_redefinitions(inherited, own)
        if redefined:
            raise ValidationError(
                {
                    "input_filter": [
                        ValidationError(
                            f'item {index + 1} > key: "{key}" is locked by the program',
                            code="locked",
                        )
                        for index, key in redefined
                    ]
                }
            )


class Contact(Entity):
    """Someone to call or e-mail about the work, who does not sign in."""

    label = models.CharField(max_length=200, help_text="A short handle, e.g. a title or role.")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=50, blank=True)
    input_filter = input_filter_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="contact_email_unique_ci",
                violation_error_message="A contact with this e-mail address already exists.",
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


entities.register(Customer, code="CUS", collection="customers", kind="customer")
entities.register(Contact, code="CON", collection="contacts", kind="contact")
entities.register(
    Program, code="PGM", collection="programs", kind="program", ancestors={"customer": "customer"}
)
entities.register(
    Project,
    code="PRJ",
    collection="projects",
    kind="project",
    ancestors={"program": "program", "customer": "program__customer"},
)


def _default_statuses() -> list[dict]:
    return [dict(item) for item in DEFAULT_STATUSES]


class ShopSettings(models.Model):
    """The shop's (the tenant's) own settings, one row: the status vocabulary new customers
    start from (``/settings/statuses``). Changes are kept in its history."""

    statuses = models.JSONField(
        default=_default_statuses,
        validators=[DocumentValidator("customers.statuses.TENANT_STATUSES")],
        help_text="The statuses a new customer starts with (at most 100).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "shop settings"

    def __str__(self):
        return "Shop settings"
