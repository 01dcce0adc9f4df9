from django.urls import path

from .views import (
    BatchNextCycleViewSet,
    ContextsViewSet,
    ContextViewSet,
    CycleActionViewSet,
    CycleContextsViewSet,
    ResourceContextsViewSet,
    WorkFlowContextsViewSet,
    WorkOrderContextsViewSet,
    WorkOrderCycleViewSet,
)

routes = []

urlpatterns = [
    path("contexts", ContextsViewSet.as_view({"get": "list"}), name="context-list"),
    path(
        "work-orders/<nid:work_order_id>/cycles/<nid:cycle_id>",
        WorkOrderCycleViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="work-order-cycle",
    ),
    path(
        "contexts/<nid:context_id>",
        ContextViewSet.as_view({"get": "retrieve"}),
        name="context-detail",
    ),
    path(
        "contexts/<nid:context_id>/<slug:step_slug>",
        ContextViewSet.as_view({"patch": "partial_update"}),
        name="context-step",
    ),
    path(
        "work-flows/<nid:workflow_id>/contexts",
        WorkFlowContextsViewSet.as_view({"get": "list", "post": "create"}),
        name="work-flow-contexts",
    ),
    path(
        "work-orders/<nid:work_order_id>/contexts",
        WorkOrderContextsViewSet.as_view({"get": "list"}),
        name="work-order-contexts",
    ),
    path(
        "resources/<nid:resource_id>/contexts",
        ResourceContextsViewSet.as_view({"get": "list"}),
        name="resource-contexts",
    ),
    path(
        "cycles/<nid:cycle_id>/contexts",
        CycleContextsViewSet.as_view({"get": "list"}),
        name="cycle-contexts",
    ),
    path(
        "batches/<nid:batch_id>/cycles/next",
        BatchNextCycleViewSet.as_view({"post": "create"}),
        name="batch-next-cycle",
    ),
    path(
        "cycles/<nid:cycle_id>/restart",
        CycleActionViewSet.as_view({"post": "restart"}),
        name="cycle-restart",
    ),
    path(
        "cycles/<nid:cycle_id>/cancel",
        CycleActionViewSet.as_view({"post": "cancel"}),
        name="cycle-cancel",
    ),
]
