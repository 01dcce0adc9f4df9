from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from niagara.api.viewsets import (
    ChildListViewSet,
    CreateModelMixin,
    DestroyModelMixin,
    NiagaraViewSet,
)
from queues.api.serializers import QueueSerializer
from queues.models import Queue
from workorders.models import WorkOrder

from .. import services
from ..selectors import batches_for_display, queues_for_display
from .serializers import BatchSerializer, BulkBatchesSerializer


@extend_schema_view(
    list=extend_schema(summary="Fetch batches", operation_id="fetchAllBatches"),
    create=extend_schema(summary="Create batch", operation_id="createBatch"),
    retrieve=extend_schema(summary="Fetch batch", operation_id="fetchBatchById"),
    destroy=extend_schema(summary="Delete batch", operation_id="deleteBatch"),
)
class BatchViewSet(
    CreateModelMixin,
    mixins.RetrieveModelMixin,
    DestroyModelMixin,
    mixins.ListModelMixin,
    NiagaraViewSet,
):
    collection = "batches"
    serializer_class = BatchSerializer
    lookup_url_kwarg = "batch_id"
    conflict_methods = frozenset({"POST", "PATCH"})
    locked_methods = frozenset({"DELETE"})
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return batches_for_display()

    def perform_create(self, serializer):
        [batch] = services.batches_create(actor=self.request.user, **serializer.validated_data)
        return batch

    def perform_destroy(self, instance):
        services.batch_delete(actor=self.request.user, batch=instance)

    @extend_schema(
        summary="Create multiple batches",
        operation_id="createMultipleBatches",
        request=BulkBatchesSerializer,
        responses={204: None},
    )
    def bulk_create(self, request, *args, **kwargs):
        body = BulkBatchesSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.batches_create(actor=request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QueueBatchesViewSet(ChildListViewSet):
    """A queue's batches in processing order."""

    collection = "batches"
    serializer_class = BatchSerializer
    ordering = ("order", "id")
    parent_queryset = Queue.objects.all()
    parent_kwarg = "queue_id"
    parent_field = "queue"

    def get_queryset(self):
        queryset = batches_for_display()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.filter(queue=self.parent)


class WorkOrderBatchesViewSet(QueueBatchesViewSet):
    parent_queryset = WorkOrder.objects.all()
    parent_kwarg = "work_order_id"
    ordering = ("id",)

    def get_queryset(self):
        queryset = batches_for_display()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.filter(work_order=self.parent)


class WorkOrderQueuesViewSet(ChildListViewSet):
    """The queues holding batches of a work order."""

    collection = "queues"
    serializer_class = QueueSerializer
    ordering = ("-priority", "id")
    parent_queryset = WorkOrder.objects.all()
    parent_kwarg = "work_order_id"

    def get_queryset(self):
        queryset = queues_for_display()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        holding = self.parent.batches.values("queue_id")
        return queryset.filter(pk__in=holding)
