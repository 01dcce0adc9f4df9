from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from customers.input_filters import (
    INPUT_FILTER,
    input_filter_field,
    locked_redefinitions,
    normalize_input_filter,
)
from customers.models import Project
from customers.statuses import STATUS, StatusCategory, checked_status, first_pending
from niagara.jsonschemas import DocumentSchema, DocumentValidator
from niagara.labels import LabelsField
from niagara.models import Entity
from queues.models import Location
from relations.registry import entities

from .workflows import APPLIES_TO, ENTITY_EVENTS, STEPS, graph_errors

TRIGGERS = DocumentSchema(
    {"type": "array", "uniqueItems": True, "items": {"type": "string", "enum": ENTITY_EVENTS}}
)
METADATA = DocumentSchema(
    {
        "type": "object",
        "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
        "additionalProperties": {"type": "string"},
    }
)
# Referenced by dotted path from validators (and migrations).
CURRENT_STATUS = STATUS


class WorkFlow(Entity):
    """A reusable, versioned process definition: the steps a unit goes through."""

    label = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, editable=False)
    schema_version = models.CharField(max_length=10, choices=[("1.0", "1.0")], default="1.0")
    workflow_version = models.PositiveIntegerField(default=1, editable=False)
    applies_to = models.CharField(max_length=10, choices=[(c, c) for c in APPLIES_TO])
    triggered_by = models.JSONField(
        default=list, blank=True, validators=[DocumentValidator("workorders.models.TRIGGERS")]
    )
    starts_at = models.CharField(max_length=100)
    steps = models.JSONField(validators=[DocumentValidator("workorders.workflows.STEPS")])
    metadata = models.JSONField(
        default=dict, blank=True, validators=[DocumentValidator("workorders.models.METADATA")]
    )

    def __str__(self):
        return f"{self.label} (v{self.workflow_version})"

    def clean(self):
        self.slug = slugify(self.label)[:200]
        if isinstance(self.steps, dict) and not STEPS.errors(self.steps):
            problems = graph_errors(self.steps, self.starts_at)
            if problems:
                raise ValidationError(
                    {
                        field: [
                            ValidationError(
                                message.replace("%", "%%"), code="graph", params={"step": step}
                            )
                            for step, message in messages
                        ]
                        for field, messages in problems.items()
                    }
                )

    @property
    def definition(self) -> dict:
        return {"starts_at": self.starts_at, "steps": self.steps}


class WorkFlowVersion(models.Model):
    """The definition of one version of a workflow, as cycles placed on it run it."""

    work_flow = models.ForeignKey(WorkFlow, models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    starts_at = models.CharField(max_length=100)
    steps = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work_flow", "version"], name="workflow_version_unique")
        ]

    def __str__(self):
        return f"{self.work_flow.label} v{self.version}"


class WorkOrderType(models.TextChoices):
    DEVICE = "device", "Device"


class WorkOrder(Entity):
    """What to produce, for which project, by when, through which workflows."""

    label = models.CharField(max_length=200)
    labels = LabelsField()
    description = models.TextField(blank=True)
    work_order_type = models.CharField(
        max_length=20, choices=WorkOrderType.choices, default=WorkOrderType.DEVICE
    )
    project = models.ForeignKey(Project, models.PROTECT, related_name="work_orders")
    location = models.ForeignKey(
        Location, models.PROTECT, null=True, blank=True, related_name="work_orders"
    )
    # Optional, as in the docs: a work order without dates is never overdue nor at risk, and
    # sorts after every dated one.
    begin_date = models.DateTimeField(null=True, blank=True)
    due_date = models.DateTimeField(null=True, blank=True)
    start_date = models.DateTimeField(null=True, blank=True, editable=False)
    end_date = models.DateTimeField(null=True, blank=True, editable=False)
    current_status = models.JSONField(
        blank=True, validators=[DocumentValidator("workorders.models.CURRENT_STATUS")]
    )
    input_filter = input_filter_field()

    class Meta:
        indexes = [
            models.Index(fields=["project", "id"], name="workorder_project_idx"),
            models.Index(fields=["due_date", "id"], name="workorder_due_idx"),
        ]

    def __str__(self):
        return self.label

    @property
    def status_category(self) -> str | None:
        return (self.current_status or {}).get("category")

    @property
    def is_closed(self) -> bool:
        return self.status_category in (StatusCategory.COMPLETE, StatusCategory.CANCELLED)

    def clean(self):
        errors = {}
        if self.begin_date and self.due_date and self.begin_date > self.due_date:
            errors["due_date"] = ValidationError(
                "should be on or after begin_date", code="dateOrder"
            )
        if self.project_id is not None:
            errors.update(self._status_errors())
            errors.update(self._locked_field_errors())
        if errors:
            raise ValidationError(errors)

    def _status_errors(self) -> dict:
        """Default to the project's first PENDING status; else it must be one of the project's."""
        statuses = self.project.effective_statuses
        if not self.current_status:
            self.current_status = first_pending(statuses)
        if not self.current_status:
            message = "the project allows no PENDING status"
            return {"current_status": ValidationError(message, code="required")}
        try:
            self.current_status = checked_status(self.current_status, statuses, owner="the project")
        except ValidationError as exc:
            return exc.error_dict
        return {}

    def _locked_field_errors(self) -> dict:
        if INPUT_FILTER.errors(self.input_filter):
            return {}
        project = self.project
        inherited = normalize_input_filter(project.program.input_filter + project.input_filter)
        redefined = locked_redefinitions(inherited, normalize_input_filter(self.input_filter))
        if not redefined:
            return {}
        return {
            "input_filter": [
                ValidationError(
                    f'item {i + 1} > key: "{key}" is locked by the project', code="locked"
                )
                for i, key in redefined
            ]
        }


class WorkOrderLine(models.Model):
    """One line of a work order: how many units must pass which workflow (version).

    The API calls these the work order's ``cycles``; in code a cycle is one unit going through a
    workflow (``batches.Cycle``), so the line is named for what it is.
    """

    work_order = models.ForeignKey(WorkOrder, models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    needed = models.PositiveIntegerField()
    work_flow = models.ForeignKey(WorkFlow, models.PROTECT, related_name="lines")
    work_flow_version = models.ForeignKey(
        WorkFlowVersion, models.PROTECT, related_name="lines", editable=False
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(needed__gte=1), name="cycle_needed_min_1")
        ]

    def __str__(self):
        return f"{self.needed} x {self.work_flow.label}"

    def clean(self):
        if self.needed is not None and self.needed < 1:
            raise ValidationError({"needed": ValidationError("should be >= 1", code="minimum")})


entities.register(
    WorkFlow, code="WKF", collection="work-flows", kind="work-flow", id_kwarg="workflow_id"
)
entities.register(
    WorkOrder,
    code="WOR",
    collection="work-orders",
    kind="work-order",
    ancestors={
        "project": "project",
        "program": "project__program",
        "customer": "project__program__customer",
    },
)
