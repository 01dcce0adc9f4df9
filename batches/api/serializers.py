from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.api.serializers import (
    EmbeddedCustomerSerializer,
    EmbeddedProgramSerializer,
    EmbeddedProjectSerializer,
)
from niagara.api.fields import (
    DocumentField,
    EmbeddedEntitiesField,
    EmbeddedReferenceField,
    HalLinksField,
    IgnoredField,
    LabelsField,
    MemberLinksField,
    StrictCharField,
    StrictIntegerField,
    api_root,
)
from niagara.api.serializers import ReadSerializer, ResourceSerializer, StrictSerializer
from queues.api.serializers import EmbeddedLocationSerializer, EmbeddedQueueSerializer
from queues.models import Queue
from users.api.serializers import UserSerializer
from users.models import User
from workorders.api.serializers import EmbeddedWorkOrderSerializer
from workorders.models import CURRENT_STATUS, WorkOrder

from ..models import Batch, Cycle
from ..services import MAX_BATCHES_PER_CALL


class CycleCountsSerializer(ReadSerializer):
    """The batch's cycles, counted by status category."""

    pending = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    verifying = serializers.IntegerField()
    complete = serializers.IntegerField()
    blocked = serializers.IntegerField()
    cancelled = serializers.IntegerField()


def work_order_field(**kwargs):
    return EmbeddedReferenceField(
        queryset=WorkOrder.objects.all(),
        id_name="work_order_id",
        embedded=EmbeddedWorkOrderSerializer,
        **kwargs,
    )


def queue_field(**kwargs):
    return EmbeddedReferenceField(
        queryset=Queue.objects.all(), id_name="queue_id", embedded=EmbeddedQueueSerializer, **kwargs
    )


# The docs' single objects of a batch, each a one-item array.
BATCH_EMBEDDED = {
    "nter:batch-queue": ("queue", EmbeddedQueueSerializer),
    "nter:batch-work-order": ("work_order", EmbeddedWorkOrderSerializer),
    "nter:batch-customer": ("work_order.project.program.customer", EmbeddedCustomerSerializer),
    "nter:batch-program": ("work_order.project.program", EmbeddedProgramSerializer),
    "nter:batch-project": ("work_order.project", EmbeddedProjectSerializer),
    "nter:batch-location": ("queue.location", EmbeddedLocationSerializer),
}


class BatchSerializer(ResourceSerializer):
    batch_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, required=False)
    queue = queue_field()
    work_order = work_order_field()
    order = StrictIntegerField(min_value=1, required=False)
    number_cycles = StrictIntegerField(min_value=1)
    cycles = CycleCountsSerializer(source="*", read_only=True)
    current_status = DocumentField(CURRENT_STATUS, required=False, allow_null=True)
    labels = LabelsField()
    _embedded = EmbeddedEntitiesField(BATCH_EMBEDDED)
    _links = HalLinksField(
        {
            "self": "batches/{obj.public_id}",
            "nter:batch-work-order": "work-orders/{obj.work_order.public_id}",
            "nter:batch-queue": "queues/{obj.queue.public_id}",
            "nter:batch-project": "projects/{obj.work_order.project.public_id}",
            "nter:batch-program": "programs/{obj.work_order.project.program.public_id}",
            "nter:batch-customer": "customers/{obj.work_order.project.program.customer.public_id}",
            "nter:batch-location": "locations/{obj.queue.location.public_id}",
        },
        # Not in a page's items: 100 batches stay under 300 KB.
        detail={
            "nter:batch-cycles": "batches/{obj.public_id}/cycles",
            "nter:batch-techs": "batches/{obj.public_id}/techs",
        },
    )

    class Meta:
        model = Batch
        fields = [
            "batch_id",
            "label",
            "created",
            "updated",
            "queue",
            "work_order",
            "order",
            "number_cycles",
            "cycles",
            "current_status",
            "labels",
            "_embedded",
            "_links",
        ]
        # Label uniqueness within a work order is the service's rule (a 409, not a 400).
        validators = []


class BulkBatchesSerializer(StrictSerializer):
    """``PATCH /batches``: ``total`` batches of ``number_cycles`` each, with technicians."""

    total = StrictIntegerField(
        min_value=1, max_value=MAX_BATCHES_PER_CALL, required=False, default=1
    )
    queue = queue_field()
    work_order = work_order_field()
    number_cycles = StrictIntegerField(min_value=1)
    labels = LabelsField(help_text="Labels of every batch created")
    users = serializers.ListField(
        child=EmbeddedReferenceField(
            queryset=User.objects.all(), id_name="user_id", embedded=UserSerializer
        ),
        required=False,
        default=list,
    )
    # As a single batch's creation takes them, for every batch made.
    order = StrictIntegerField(min_value=1, required=False)
    current_status = DocumentField(CURRENT_STATUS, required=False, allow_null=True)
    # The docs' example for this call is a fetched batch: what else a batch carries is
    # accepted and ignored.
    batch_id = IgnoredField()
    label = IgnoredField()
    created = IgnoredField()
    updated = IgnoredField()
    cycles = IgnoredField()
    _embedded = IgnoredField()
    _links = IgnoredField()


class CycleSerializer(ResourceSerializer):
    """One unit going through the work order's workflow."""

    cycle_id = serializers.CharField(source="public_id", read_only=True)
    label = serializers.CharField(read_only=True)
    current_status = DocumentField(CURRENT_STATUS)
    batch = serializers.SerializerMethodField()
    work_order = serializers.SerializerMethodField()
    workflow_version = serializers.IntegerField(read_only=True)
    unit = serializers.SerializerMethodField(help_text="The device, once scanned in")
    rework_of = serializers.SerializerMethodField(
        help_text="The cycle that produced this device before, when this cycle reworks it"
    )
    is_retry = serializers.SerializerMethodField(help_text="Whether this cycle reworks a device")
    location_id = serializers.CharField(
        source="location_public_id",
        read_only=True,
        help_text="Where the cycle is worked: its batch's queue's location",
    )
    context_id = serializers.CharField(
        source="context_public_id",
        read_only=True,
        allow_null=True,
        help_text="Its latest run (context), once a device was taken",
    )
    assigned_user = serializers.CharField(
        source="assigned_user_public_id",
        read_only=True,
        allow_null=True,
        help_text="Who took the device into its latest run (a user_id)",
    )
    resource_id = serializers.SerializerMethodField(
        help_text="The resource (bench, station) working it: none yet (resources are not kept)"
    )
    reason = StrictCharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Why, when the new status cancels the cycle: a CANCELLED-category status ends "
        "its run (later step closes answer 409) and the reason is noted on its unit (or, before "
        "a device was scanned in, on its work order).",
    )
    _links = HalLinksField(
        {
            "self": "cycles/{obj.public_id}",
            "nter:cycle-batch": "batches/{obj.batch_public_id}",
            "nter:cycle-work-order": "work-orders/{obj.work_order_public_id}",
            "nter:cycle-contexts": "cycles/{obj.public_id}/contexts",
        },
        # Its place under its work order (the docs' path), on its own GET only.
        detail={
            "nter:work-order-cycle": "work-orders/{obj.work_order_public_id}/cycles/{obj.public_id}"
        },
    )

    class Meta:
        model = Cycle
        fields = [
            "cycle_id",
            "label",
            "current_status",
            "batch",
            "work_order",
            "workflow_version",
            "unit",
            "rework_of",
            "is_retry",
            "location_id",
            "context_id",
            "assigned_user",
            "resource_id",
            "created",
            "updated",
            "reason",
            "_links",
        ]

    # The small references below are read from columns ``cycles_for_display`` annotates.
    def get_batch(self, cycle) -> dict:
        return {"batch_id": cycle.batch_public_id, "label": cycle.batch_label}

    def get_work_order(self, cycle) -> dict:
        return {"work_order_id": cycle.work_order_public_id, "label": cycle.work_order_label}

    def get_is_retry(self, cycle) -> bool:
        return cycle.rework_of_public_id is not None

    @extend_schema_field({"type": "null"})
    def get_resource_id(self, cycle) -> None:
        return None

    @extend_schema_field(
        {
            "type": ["object", "null"],
            "properties": {
                "unit_id": {"type": "string"},
                "label": {"type": "string"},
                "serial_number": {"type": "string"},
            },
        }
    )
    @extend_schema_field(
        {
            "type": ["object", "null"],
            "properties": {
                "cycle_id": {"type": "string"},
                "_links": {"type": "object"},
            },
        }
    )
    def get_rework_of(self, cycle) -> dict | None:
        if cycle.rework_of_public_id is None:
            return None
        href = f"{api_root(self.context.get('request'))}cycles/{cycle.rework_of_public_id}"
        return {"cycle_id": cycle.rework_of_public_id, "_links": {"self": {"href": href}}}

    def get_unit(self, cycle) -> dict | None:
        if cycle.unit_public_id is None:
            return None
        return {
            "unit_id": cycle.unit_public_id,
            "label": cycle.unit_label,
            "serial_number": cycle.unit_serial_number,
        }


class BatchTechSerializer(UserSerializer):
    """A technician as the batch's list shows them, to whoever reads the batch: ``self`` is
    their place in the list (``DELETE`` there unassigns them); ``nter:user``, the person
    (``tenant:read``, or themself)."""

    _links = MemberLinksField(
        "batches/{parent.public_id}/techs/{obj.public_id}",
        rel="nter:user",
        own="users/{obj.public_id}",
    )

    class Meta(UserSerializer.Meta):
        pass
