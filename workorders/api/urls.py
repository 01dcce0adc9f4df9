from django.urls import path

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
]
