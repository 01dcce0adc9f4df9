from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower

from niagara.input_filters import INPUT_FILTER, locked_redefinitions, normalize_input_filter
from niagara.jsonschemas import DocumentSchema, DocumentValidator
from niagara.models import Entity
from relations.registry import entities

from .statuses import ALLOWED_STATUSES, describe, missing_from

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


def _statuses_in_use(users: list[tuple[models.Model, list[dict]]], kind: str) -> list[str]:
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
    external_platform = models.JSONField(
        default=dict,
        blank=True,
        validators=[DocumentValidator("customers.models.EXTERNAL_PLATFORM")],
    )
    allowed_statuses = models.JSONField(
        validators=[DocumentValidator("customers.statuses.ALLOWED_STATUSES")],
        help_text="The customer's own status labels, each mapped to a category.",
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
        problems = _statuses_in_use(
            [
                (program, missing_from(program.allowed_statuses, self.allowed_statuses))
                for program in programs
                if program.allowed_statuses is not None
            ],
            "program",
        ) + _statuses_in_use(
            [(p, missing_from(p.allowed_statuses, self.allowed_statuses)) for p in projects],
            "project",
        )
        if problems:
            raise ValidationError(
                {"allowed_statuses": [ValidationError(p, code="inUse") for p in problems]}
            )


class StatusNarrowingMixin:
    """For levels whose ``allowed_statuses`` narrow their parent's: null means "inherit"."""

    parent_kind = ""

    @property
    def parent_statuses(self) -> list[dict]:
        raise NotImplementedError

    @property
    def effective_statuses(self) -> list[dict]:
        """Return the statuses in force: its own list, or else its parent's (followed live)."""
        if self.allowed_statuses is not None:
            return self.allowed_statuses
        return self.parent_statuses

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
                            f"status {describe(item)} is not allowed by the {self.parent_kind}",
                            code="subset",
                        )
                        for item in missing
                    ]
                }
            )


class Program(StatusNarrowingMixin, Entity):
    """A grouping of a customer's work (e.g. "North-east stores"); it holds projects."""

    label = models.CharField(max_length=200)
    customer = models.ForeignKey(Customer, models.PROTECT, related_name="programs")
    start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    allowed_statuses = models.JSONField(
        null=True,
        blank=True,
        help_text="A subset of the customer's statuses; empty means the customer's whole list.",
    )
    input_filter = models.JSONField(
        default=list,
        blank=True,
        validators=[DocumentValidator("niagara.input_filters.INPUT_FILTER")],
    )

    parent_kind = "customer"

    class Meta:
        indexes = [models.Index(fields=["customer", "id"], name="program_customer_idx")]

    def __str__(self):
        return self.label

    @property
    def parent_statuses(self) -> list[dict]:
        return self.customer.allowed_statuses

    def clean(self):
        _check_dates(self)
        if self.customer_id is None:
            return
        self._check_statuses_narrow_parent()
        if self.pk:
            self._check_statuses_still_cover_projects()

    def _check_statuses_still_cover_projects(self):
        effective = self.effective_statuses
        projects = self.projects.filter(allowed_statuses__isnull=False)
        problems = _statuses_in_use(
            [(p, missing_from(p.allowed_statuses, effective)) for p in projects], "project"
        )
        if problems:
            raise ValidationError(
                {"allowed_statuses": [ValidationError(p, code="inUse") for p in problems]}
            )


class Project(StatusNarrowingMixin, Entity):
    """A bounded body of work (typically one contract) inside a program; work orders live here."""

    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    program = models.ForeignKey(Program, models.PROTECT, related_name="projects")
    start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    allowed_statuses = models.JSONField(
        null=True,
        blank=True,
        help_text="A subset of the program's statuses; empty means the program's whole list.",
    )
    input_filter = models.JSONField(
        default=list,
        blank=True,
        validators=[DocumentValidator("niagara.input_filters.INPUT_FILTER")],
    )

    parent_kind = "program"

    class Meta:
        indexes = [models.Index(fields=["program", "id"], name="project_program_idx")]

    def __str__(self):
        return self.label

    @property
    def customer(self) -> Customer:
        return self.program.customer

    @property
    def parent_statuses(self) -> list[dict]:
        return self.program.effective_statuses

    def clean(self):
        _check_dates(self)
        if self.program_id is None:
            return
        self._check_statuses_narrow_parent()
        self._check_locked_fields()

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
    input_filter = models.JSONField(
        default=list,
        blank=True,
        validators=[DocumentValidator("niagara.input_filters.INPUT_FILTER")],
    )

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
entities.register(Program, code="PGM", collection="programs", kind="program")
entities.register(Project, code="PRJ", collection="projects", kind="project")
