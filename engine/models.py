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

    class Meta:
        indexes = [
            models.Index(fields=["cycle", "id"], name="context_cycle_idx"),
            models.Index(fields=["work_flow_version", "state", "id"], name="context_version_idx"),
        ]

    def __str__(self):
        return self.label

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
