from django.urls import path

from .views import (
    BatchCyclesViewSet,
    BatchTechsViewSet,
    BatchViewSet,
    CycleViewSet,
    QueueBatchesViewSet,
    WorkOrderBatchesViewSet,
    WorkOrderCyclesViewSet,
    WorkOrderQueuesViewSet,
)

routes = []

LIST = {"get": "list"}

urlpatterns = [
    path(
        "cycles/<nid:cycle_id>",
        CycleViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="cycle-detail",
    ),
    path("batches/<nid:batch_id>/cycles", BatchCyclesViewSet.as_view(LIST), name="batch-cycles"),
    path("batches/<nid:batch_id>/techs", BatchTechsViewSet.as_view(LIST), name="batch-techs"),
    path(
        "batches/<nid:batch_id>/techs/<nid:tech_id>",
        BatchTechsViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="batch-tech",
    ),
    path(
        "work-orders/<nid:work_order_id>/cycles",
        WorkOrderCyclesViewSet.as_view({"get": "list", "delete": "cancel_all"}),
        name="work-order-cycles",
    ),
    path(
        "batches",
        BatchViewSet.as_view({"get": "list", "post": "create", "patch": "bulk_create"}),
        name="batch-list",
    ),
    path(
        "batches/<nid:batch_id>",
        BatchViewSet.as_view(
            {
                "get": "retrieve",
                "put": "update",
                "patch": "partial_update",
                "delete": "destroy",
            }
        ),
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
