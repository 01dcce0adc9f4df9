"""Contexts: one run of a workflow version on one unit (the docs' ``CTX``)."""

from django.conf import settings
from django.db import models

from batches.models import Batch, Cycle
from niagara.models import Entity
from relations.registry import entities
from units.models import Unit
from workorders.models import WorkFlowVersion


class RunState(models.TextChoices):
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"
    CANCELLED = "CANCELLED", "Cancelled"


def payload(step: dict) -> dict:
    return (step.get("options") or {}).get("payload") or {}


def is_qc(step: dict) -> bool:
    """A QC step must be closed by someone other than whoever closed the step before it."""
    options = step.get("options") or {}
    return bool(options.get("is_qc") or payload(step).get("is_qc"))


class Context(Entity):
    """A run of a workflow version on a unit, ``using`` the batch its cycle is in (if any).

    The run's whole record is on the row: the steps it waits on, every step it went through
    (who closed it, when, how long it took) and the data its steps wrote. Completing a step
    reads and writes this one row, whatever the size of the workflow.
    """

    label = models.CharField(max_length=200)
    work_flow_version = models.ForeignKey(WorkFlowVersion, models.PROTECT, related_name="contexts")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="contexts")
    # Kept when a batch or cycle goes: a run's record outlives the plan it was part of.
    batch = models.ForeignKey(
        Batch, models.SET_NULL, null=True, blank=True, related_name="contexts"
    )
    cycle = models.ForeignKey(
        Cycle, models.SET_NULL, null=True, blank=True, related_name="contexts"
    )
    # The line, station or port the run is on (``/resources/{id}/contexts``): named when it
    # starts, or set by a ``set-entity-location`` step placing the unit on a resource.
    resource = models.ForeignKey(
        "queues.Resource",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="contexts",
        help_text="The resource the run is on",
    )
    state = models.CharField(
        max_length=10, choices=RunState.choices, default=RunState.RUNNING, db_index=True
    )
    current_steps = models.JSONField(default=list, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    failed_steps = models.JSONField(default=list, blank=True)
    last_steps = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    locked_keys = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who closed the last step by hand: a QC step must be closed by someone else.
    last_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Running and waiting on a QC step (kept by ``save`` and the engine's step writes): the
    # QC queue reads these rows from a small index, whatever the number of runs.
    at_qc = models.BooleanField(default=False, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["cycle", "id"], name="context_cycle_idx"),
            models.Index(fields=["resource", "id"], name="context_resource_idx"),
            models.Index(fields=["work_flow_version", "state", "id"], name="context_version_idx"),
            models.Index(
                fields=["step_started_at", "id"],
                condition=models.Q(at_qc=True),
                name="context_qc_queue_idx",
            ),
        ]

    def __str__(self):
        return self.label

    def waits_on_qc(self) -> bool:
        steps = self.work_flow_version.steps
        return self.active and any(is_qc(steps[key]) for key in self.current_steps if key in steps)

    def save(self, *args, **kwargs):
        self.at_qc = self.waits_on_qc()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "at_qc" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "at_qc"]
        super().save(*args, **kwargs)

    @property
    def active(self) -> bool:
        return self.state == RunState.RUNNING


entities.register(
    Context,
    code="CTX",
    collection="contexts",
    kind="context",
    history_excluded=("last_steps", "data", "failed_steps", "locked_keys", "step_started_at"),
)
