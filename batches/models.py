from django.db import models
from django.db.models import Q

from customers.statuses import ACTIVE_CATEGORIES, StatusCategory, checked_status
from niagara.jsonschemas import DocumentValidator
from niagara.labels import LabelsField
from niagara.models import Entity
from queues.models import Queue
from relations.registry import entities
from units.models import Unit
from workorders.models import WorkFlowVersion, WorkOrder, WorkOrderLine

STATUS_VALIDATORS = [DocumentValidator("customers.statuses.STATUS")]


class Batch(Entity):
    """A chunk of a work order placed in a production queue ("batch 7 of 50: 10 iPads")."""

    label = models.CharField(max_length=200)
    labels = LabelsField()
    # Looked up by the indexes that start with them (the unique (work order, label) and the
    # queue's processing order): an index on each alone would only slow every insert.
    work_order = models.ForeignKey(
        WorkOrder, models.PROTECT, related_name="batches", db_index=False
    )
    queue = models.ForeignKey(Queue, models.PROTECT, related_name="batches", db_index=False)
    order = models.PositiveIntegerField(help_text="Processing order within the queue.")
    current_status = models.JSONField(null=True, blank=True, validators=STATUS_VALIDATORS)

    class Meta:
        verbose_name_plural = "batches"
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "label"], name="batch_label_unique_per_work_order"
            )
        ]
        indexes = [
            models.Index(fields=["queue", "order", "id"], name="batch_queue_order_idx"),
            # The label filter's choices: the few batches that carry labels.
            models.Index(fields=["labels"], condition=~Q(labels=[]), name="batch_labels_idx"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        """A status, when set, is one of the work order's project's (completed from it)."""
        if self.work_order_id is not None:
            self.current_status = checked_status(
                self.current_status, self.work_order.project.effective_statuses, owner=OWNER
            )


OWNER = "the work order's project"


class Cycle(Entity):
    """One unit going through its work order's workflow, on the version current at creation."""

    label = models.CharField(max_length=200)
    # Looked up by the indexes below that start with them (a second index on each alone would
    # only cost every insert of a million-cycle floor, and steer the planner wrong).
    batch = models.ForeignKey(Batch, models.CASCADE, related_name="cycles", db_index=False)
    work_order = models.ForeignKey(WorkOrder, models.CASCADE, related_name="cycles", db_index=False)
    line = models.ForeignKey(WorkOrderLine, models.PROTECT, related_name="cycles")
    work_flow_version = models.ForeignKey(WorkFlowVersion, models.PROTECT, related_name="cycles")
    current_status = models.JSONField(validators=STATUS_VALIDATORS)
    # The status's category, kept beside it for the counters' aggregate queries.
    category = models.CharField(max_length=20, choices=StatusCategory.choices, db_index=True)
    # The device this cycle produces: bound when a technician scans it in.
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="cycles", editable=False
    )
    # A shipped device run again (a rework or a return): the cycle it reworks. Most cycles are
    # not reworks: a partial index (``cycle_rework_idx``) serves the lookups a deleted cycle
    # needs (its reworks lose the link), without weighing on the million that are not.
    rework_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )

    class Meta:
        indexes = [
            # Counts by category, and the week's completions (the cockpit's pace), index-only.
            models.Index(fields=["work_order", "category", "updated"], name="cycle_work_order_idx"),
            models.Index(fields=["batch", "category", "id"], name="cycle_batch_next_idx"),
            models.Index(
                fields=["rework_of"],
                condition=models.Q(rework_of__isnull=False),
                name="cycle_rework_idx",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_active(self) -> bool:
        return self.category in ACTIVE_CATEGORIES

    def clean(self):
        """The status is one of the work order's project's; ``category`` follows it."""
        self.current_status = checked_status(
            self.current_status, self.work_order.project.effective_statuses, owner=OWNER
        )
        self.category = (self.current_status or {}).get("category", "")


entities.register(
    Batch,
    code="BAT",
    collection="batches",
    kind="batch",
    ancestors={
        "work-order": "work_order",
        "project": "work_order__project",
        "program": "work_order__project__program",
        "customer": "work_order__project__program__customer",
        "queue": "queue",
        "location": "queue__location",
    },
)


class CycleCounts(models.Model):
    """Cycles by status category: the six counters, as the tallies keep them."""

    pending = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    verifying = models.IntegerField(default=0)
    complete = models.IntegerField(default=0)
    blocked = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)

    class Meta:
        abstract = True


class BatchTally(CycleCounts):
    """A batch's cycles by category, kept by the database (``batches.tallies``)."""

    batch = models.OneToOneField(
        Batch, models.CASCADE, primary_key=True, related_name="tally", editable=False
    )

    class Meta:
        verbose_name_plural = "batch tallies"

    def __str__(self):
        return f"Tally of batch {self.batch_id}"


class FloorTally(CycleCounts):
    """A work order's batches in one queue, and their cycles by category, kept by the database
    (``batches.tallies``): what queue counters, the cockpit's bars and blocked list add up."""

    queue = models.ForeignKey(Queue, models.CASCADE, related_name="+")
    work_order = models.ForeignKey(WorkOrder, models.CASCADE, related_name="+")
    batches = models.IntegerField(default=0)
    active_batches = models.IntegerField(default=0)  # with an open (active) cycle

    class Meta:
        verbose_name_plural = "floor tallies"
        constraints = [
            models.UniqueConstraint(fields=["queue", "work_order"], name="floortally_unique")
        ]

    def __str__(self):
        return f"Tally of work order {self.work_order_id} in queue {self.queue_id}"


class TechTally(models.Model):
    """A technician's batches of a work order in one queue, those with an open cycle, and their
    open cycles, kept by the database (``batches.tallies``): the cockpit's workload, by what the
    viewer reads, and the queue counters of a technician (who reads their own batches)."""

    user = models.ForeignKey("users.User", models.CASCADE, related_name="+")
    queue = models.ForeignKey(Queue, models.CASCADE, related_name="+")
    work_order = models.ForeignKey(WorkOrder, models.CASCADE, related_name="+")
    batches = models.IntegerField(default=0)
    # Of them, those with an open cycle: a technician's queue counters, read from here.
    active_batches = models.IntegerField(default=0)
    open_cycles = models.IntegerField(default=0)

    class Meta:
        verbose_name_plural = "technician tallies"
        constraints = [
            models.UniqueConstraint(fields=["user", "queue", "work_order"], name="techtally_unique")
        ]

    def __str__(self):
        return f"Tally of technician {self.user_id} in queue {self.queue_id}"
