from django.urls import path

from .views import (
    BatchViewSet,
    QueueBatchesViewSet,
    WorkOrderBatchesViewSet,
    WorkOrderQueuesViewSet,
)

routes = []

LIST = {"get": "list"}

urlpatterns = [
    path(
        "batches",
        BatchViewSet.as_view({"get": "list", "post": "create", "patch": "bulk_create"}),
        name="batch-list",
    ),
    path(
        "batches/<nid:batch_id>",
        BatchViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="batch-detail",
    ),
    path("queues/<nid:queue_id>/batches", QueueBatchesViewSet.as_view(LIST), name="queue-batches"),
    path(
        "work-orders/<nid:work_order_id>/batches",
        WorkOrderBatchesViewSet.as_view(LIST),
        name="work-order-batches",
    ),
    path(
        "work-orders/<nid:work_order_id>/queues",
        WorkOrderQueuesViewSet.as_view(LIST),
        name="work-order-queues",
    ),
]
