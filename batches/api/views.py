from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from customers.statuses import StatusCategory
from niagara.access import access_for
from niagara.api.filters import LabelsFilter, bracketed_filterset
from niagara.api.parsers import LimitedJSONParser, json_parser_for
from niagara.api.viewsets import (
    ChildListViewSet,
    MemberListViewSet,
    NiagaraViewSet,
    ResourceViewSet,
)
from queues.api.views import QueueListMixin, QueueViewSet
from queues.models import Queue
from users.models import User
from workorders.api.views import WorkOrderViewSet
from workorders.models import WorkOrder

from .. import services
from ..models import Batch, Cycle
from ..selectors import (
    batch_techs,
    batches_for_display,
    batches_of_technicians,
    cycles_for_display,
)
from .serializers import (
    BatchSerializer,
    BatchTechSerializer,
    BulkBatchesSerializer,
    CycleSerializer,
)


def _of_technician(queryset, name, value):
    technicians = User.objects.filter(public_id=value).values("pk")
    return queryset.filter(pk__in=batches_of_technicians(technicians))


BatchFilterSet = bracketed_filterset(
    "BatchFilterSet",
    queue=filters.CharFilter(field_name="queue__public_id", help_text="queue_id"),
    work_order=filters.CharFilter(field_name="work_order__public_id", help_text="work_order_id"),
    category=filters.ChoiceFilter(
        field_name="current_status__category",
        choices=StatusCategory.choices,
        help_text="Category of the batch's current status",
    ),
    technician=filters.CharFilter(
        method=_of_technician, help_text="user_id of a technician assigned to the batch"
    ),
    labels=LabelsFilter(),
)


# What ``PATCH /batches`` reads: JSON, and the multi-batch media types the docs name.
BULK_PARSERS = [
    LimitedJSONParser,
    json_parser_for("application/vnd.nter.multi-batch+json"),
    json_parser_for("application/multi-batch+json"),
]


class ViewerCountedBatchesMixin:
    """Batches whose embedded queue counts what the caller may read (a queue is shared)."""

    def get_queryset(self):
        # A list's items embed their parents as summaries (``in_a_list``): no counters.
        listed = self.action == "list"
        self.queryset = batches_for_display(access_for(self.request), listed=listed)
        return super().get_queryset()


@extend_schema_view(
    list=extend_schema(summary="Fetch batches", operation_id="fetchAllBatches"),
    create=extend_schema(summary="Create batch", operation_id="createBatch"),
    retrieve=extend_schema(summary="Fetch batch", operation_id="fetchBatchById"),
    update=extend_schema(
        summary="Update batch",
        operation_id="updateBatch",
        description="Move the batch to another queue, re-order it, change its status or its "
        "number of cycles (within the capacity rule; cycles in flight are never removed).",
    ),
    partial_update=extend_schema(summary="Change part of batch", operation_id="patchBatch"),
    destroy=extend_schema(summary="Delete batch", operation_id="deleteBatch"),
)
class BatchViewSet(ViewerCountedBatchesMixin, ResourceViewSet):
    """Batches: its writes override DRF's ``perform_*`` seams (a batch's create takes more
    than its fields: a count of cycles and technicians)."""

    collection = "batches"
    serializer_class = BatchSerializer
    filterset_class = BatchFilterSet
    lookup_url_kwarg = "batch_id"
    conflict_methods = frozenset({"POST", "PATCH", "PUT"})
    locked_methods = frozenset({"DELETE", "PUT"})
    # PATCH /batches takes a whole body (it creates batches): documented as such.
    full_body_actions = frozenset({"bulk_create"})
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    queryset = batches_for_display()

    def lock_for_write(self, lookup):
        services.lock_for_write(Batch, lookup)

    def perform_create(self, serializer):
        [serializer.instance] = services.batches_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        fields = services.BatchFields(**serializer.validated_data)
        serializer.instance = services.batch_update(
            serializer.instance, actor=self.request.user, fields=fields
        )

    def perform_destroy(self, instance):
        services.batch_delete(instance, actor=self.request.user)

    def get_parsers(self):
        # PATCH /batches also takes the multi-batch media types (PATCH /batches/{id}: a merge
        # patch).
        if (
            self.request is not None
            and self.request.method == "PATCH"
            and "batch_id" not in self.kwargs
        ):
            return [parser() for parser in BULK_PARSERS]
        return super().get_parsers()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if "batch_id" not in self.kwargs:
            response["Accept-Patch"] = ", ".join(parser.media_type for parser in BULK_PARSERS)
        return response

    @extend_schema(
        summary="Create multiple batches",
        operation_id="createMultipleBatches",
        request={parser.media_type: BulkBatchesSerializer for parser in BULK_PARSERS},
        responses={204: None},
        description="Creates `total` batches of `number_cycles` cycles each, all or nothing. "
        "Takes `application/json` and the documented `application/vnd.nter.multi-batch+json` "
        "and `application/multi-batch+json` (the collection's `Accept-Patch` lists them).",
    )
    def bulk_create(self, request, *args, **kwargs):
        body = BulkBatchesSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        self.check_create_permissions(body.validated_data)
        services.batches_create(actor=request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch queue batches",
        operation_id="fetchAllBatchesForQueue",
        description="The queue's batches in processing order.",
    )
)
class QueueBatchesViewSet(ViewerCountedBatchesMixin, ChildListViewSet):
    """A queue's batches in processing order."""

    collection = "batches"
    queryset = batches_for_display()
    serializer_class = BatchSerializer
    ordering = ("order", "id")

    parent_queryset = Queue.objects.all()
    parent_kwarg = "queue_id"
    parent_field = "queue"


@extend_schema_view(
    list=extend_schema(
        summary="Fetch work order batches",
        operation_id="fetchAllBatchesForWorkOrder",
        description="The work order's batches, oldest first.",
    )
)
class WorkOrderBatchesViewSet(QueueBatchesViewSet):
    parent_queryset = WorkOrder.objects.all()
    parent_kwarg = "work_order_id"
    parent_field = "work_order"
    ordering = ("id",)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch work order queues",
        operation_id="fetchAllQueuesForWorkOrder",
        description="The queues holding batches of the work order, highest priority first, "
        "with their counters (of what the caller may read).",
    )
)
class WorkOrderQueuesViewSet(QueueListMixin, ChildListViewSet):
    """The queues holding batches of a work order."""

    parent_queryset = WorkOrder.objects.all()
    parent_kwarg = "work_order_id"

    def children_of(self, parent, queryset):
        return queryset.filter(pk__in=parent.batches.values("queue_id"))


CycleFilterSet = bracketed_filterset(
    "CycleFilterSet",
    status=filters.ChoiceFilter(
        field_name="category", choices=StatusCategory.choices, help_text="Status category"
    ),
)


@extend_schema_view(
    retrieve=extend_schema(summary="Fetch cycle", operation_id="fetchCycleById"),
    partial_update=extend_schema(
        summary="Change a cycle's status",
        operation_id="updateCycleStatus",
        description="Moves the cycle to one of its work order's statuses; counters follow. A "
        "CANCELLED-category status ends the cycle's run: later step closes answer 409.",
    ),
)
class CycleViewSet(mixins.RetrieveModelMixin, NiagaraViewSet):
    collection = "work-order-cycles"
    serializer_class = CycleSerializer
    lookup_url_kwarg = "cycle_id"
    http_method_names = ["get", "patch", "head", "options"]
    # A cycle is its batch's: read with it, moved along by stepping the workflow.
    visible_through = "batch"
    action_permissions = {"partial_update": "context:step"}

    queryset = cycles_for_display()

    def lock_for_write(self, lookup):
        services.lock_for_write(Cycle, lookup)

    def partial_update(self, request, *args, **kwargs):
        cycle = self.get_object()
        body = self.get_serializer(cycle, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        self.check_if_match(cycle)
        if "current_status" in body.validated_data:
            services.cycle_set_status(
                cycle,
                actor=request.user,
                current_status=body.validated_data["current_status"],
                reason=body.validated_data.get("reason", ""),
            )
        return Response(self.get_serializer(self.reread(cycle)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch batch cycles",
        operation_id="fetchAllCyclesForBatch",
        description="The batch's cycles, oldest first; `filter[status]` narrows them to a "
        "status category.",
    )
)
class BatchCyclesViewSet(ChildListViewSet):
    collection = "work-order-cycles"
    serializer_class = CycleSerializer
    filterset_class = CycleFilterSet
    parent_queryset = Batch.objects.all()
    parent_kwarg = "batch_id"
    parent_field = "batch"
    queryset = cycles_for_display()
    visible_through = "batch"
    # A batch's cycles are readable exactly when the batch is (the cycles' read rule), and the
    # batch in the URL was found readable: they are not filtered a second time.
    visibility = False


CANCELLED_COUNT = {
    "type": "object",
    "required": ["cancelled"],
    "properties": {
        "cancelled": {"type": "integer", "minimum": 0, "description": "Cycles cancelled"}
    },
}


@extend_schema_view(
    list=extend_schema(
        summary="Fetch work order cycles",
        operation_id="fetchAllCyclesForWorkOrder",
        description="The work order's cycles in the batches the caller may read, oldest "
        "first; `filter[status]` narrows them to a status category.",
    )
)
class WorkOrderCyclesViewSet(BatchCyclesViewSet):
    parent_queryset = WorkOrder.objects.all()
    visibility = True  # a work order's cycles: only those of the batches the caller reads
    parent_kwarg = "work_order_id"
    parent_field = "work_order"
    http_method_names = ["get", "delete", "head", "options"]
    conflict_methods = frozenset({"DELETE"})
    # Cancelling acts on the work order's cycles, not on an entity answered with an ETag.
    conditional = False

    @extend_schema(
        summary="Cancel work order cycles",
        operation_id="cancelWorkOrderCycles",
        description="Cancels every cycle of the work order that has not finished: each takes "
        "the project's CANCELLED status, running contexts end (later step closes answer 409). "
        "Answered once done (202, as the docs), with how many were cancelled; again, it "
        "cancels nothing more. Needs `work-order:update` on the work order; a project without "
        "a CANCELLED status is a 409.",
        request=None,
        responses={202: CANCELLED_COUNT},
    )
    def cancel_all(self, request, *args, **kwargs):
        work_order = self.parent
        if not access_for(request).allows("work-order:update", work_order):
            self.permission_denied(
                request, message="Cancelling its cycles needs work-order:update on the work order."
            )
        cancelled = services.work_order_cycles_cancel(work_order, actor=request.user)
        return Response({"cancelled": cancelled}, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary="Fetch batch technicians", operation_id="fetchTechsForBatch"),
    retrieve=extend_schema(
        summary="Fetch a batch technician",
        operation_id="fetchTechForBatch",
        description="A technician assigned to the batch, to whoever reads the batch (the "
        "person's own resource, `nter:user`, needs `tenant:read`).",
    ),
    destroy=extend_schema(summary="Unassign a technician", operation_id="detachTechFromBatch"),
)
class BatchTechsViewSet(MemberListViewSet):
    """The batch's technicians: users with a ``tech`` relation to it."""

    collection = "users"
    serializer_class = BatchTechSerializer
    parent_queryset = Batch.objects.all()
    parent_kwarg = "batch_id"
    lookup_url_kwarg = "tech_id"

    queryset = User.objects.all()
    # Unassigning: ``batch:detach-tech`` on the batch. Reading: whoever reads the batch.
    action_permissions = {"destroy": "batch:detach-tech"}

    def children_of(self, parent, queryset):
        return batch_techs(parent)

    def perform_destroy(self, instance):
        services.batch_tech_remove(self.parent, actor=self.request.user, tech=instance)


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
WorkOrderViewSet.add_include("batches", WorkOrderBatchesViewSet)
WorkOrderViewSet.add_include("queues", WorkOrderQueuesViewSet)
QueueViewSet.add_include("batches", QueueBatchesViewSet)
