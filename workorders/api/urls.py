from django.urls import path

from .boms import WorkFlowBomsViewSet
from .views import (
    CustomerWorkOrdersViewSet,
    ProgramWorkOrdersViewSet,
    ProjectWorkOrdersViewSet,
    WorkFlowViewSet,
    WorkOrderViewSet,
)

routes = [
    ("work-orders", WorkOrderViewSet, "work-order"),
    ("work-flows", WorkFlowViewSet, "work-flow"),
]

LIST = {"get": "list"}

urlpatterns = [
    path(
        "customers/<nid:customer_id>/work-orders",
        CustomerWorkOrdersViewSet.as_view(LIST),
        name="customer-work-orders",
    ),
    path(
        "programs/<nid:program_id>/work-orders",
        ProgramWorkOrdersViewSet.as_view(LIST),
        name="program-work-orders",
    ),
    path(
        "projects/<nid:project_id>/work-orders",
        ProjectWorkOrdersViewSet.as_view(LIST),
        name="project-work-orders",
    ),
    path(
        "work-flows/<nid:workflow_id>/boms",
        WorkFlowBomsViewSet.as_view(LIST),
        name="work-flow-boms",
    ),
    path(
        "work-flows/<nid:workflow_id>/boms/<nid:location_id>",
        WorkFlowBomsViewSet.as_view({"get": "retrieve"}),
        name="work-flow-bom",
    ),
]
