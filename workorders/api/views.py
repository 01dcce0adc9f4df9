from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from customers.api.views import CustomerViewSet, ProjectViewSet
from customers.models import Customer, Program, Project
from customers.statuses import StatusCategory
from niagara.api.filters import IsoDateTimeFilter, LabelsFilter, bracketed_filterset
from niagara.api.schema import crud_schema
from niagara.api.viewsets import ChildListViewSet, ResourceViewSet

from .. import services
from ..models import WorkFlow
from ..selectors import work_orders_for_display
from ..workflows import APPLIES_TO
from .serializers import WorkFlowSerializer, WorkOrderSerializer

ORDERINGS = {
    "due_date": ("due_date", "id"),
    "-due_date": ("-due_date", "-id"),
    "label": ("label", "id"),
    "-label": ("-label", "-id"),
}


class NoOpOrderingFilter(filters.ChoiceFilter):
    """Validates and documents ``ordering``; the paginator applies it (keyset order)."""

    def filter(self, queryset, value):
        return queryset


WorkOrderFilterSet = bracketed_filterset(
    "WorkOrderFilterSet",
    category=filters.ChoiceFilter(
        field_name="current_status__category",
        choices=StatusCategory.choices,
        help_text="Category of the current status",
    ),
    customer=filters.CharFilter(
        field_name="project__program__customer__public_id", help_text="customer_id"
    ),
    program=filters.CharFilter(field_name="project__program__public_id", help_text="program_id"),
    project=filters.CharFilter(field_name="project__public_id", help_text="project_id"),
    due_before=IsoDateTimeFilter(field_name="due_date", lookup_expr="lte"),
    due_after=IsoDateTimeFilter(field_name="due_date", lookup_expr="gte"),
    labels=LabelsFilter(),
    plain={
        "ordering": NoOpOrderingFilter(
            choices=[(key, key) for key in ORDERINGS], help_text="Sort order (default: creation)"
        )
    },
)


class WorkOrderListMixin:
    queryset = work_orders_for_display()
    serializer_class = WorkOrderSerializer
    filterset_class = WorkOrderFilterSet
    collection = "work-orders"

    def get_ordering(self):
        return ORDERINGS.get(self.request.query_params.get("ordering"), ("id",))


@extend_schema_view(**crud_schema("work order", "work orders", "WorkOrder"))
class WorkOrderViewSet(WorkOrderListMixin, ResourceViewSet):
    lookup_url_kwarg = "work_order_id"
    # PUT: 409 when a line would need fewer cycles than are placed on it.
    conflict_methods = frozenset({"POST", "PUT"})  # POST: an inactive customer
    locked_methods = frozenset({"PUT", "DELETE"})
    fields_class = services.WorkOrderFields
    create_service = staticmethod(services.work_order_create)
    update_service = staticmethod(services.work_order_update)
    delete_service = staticmethod(services.work_order_delete)


@extend_schema_view(
    **crud_schema(
        "workflow",
        "workflows",
        "Workflow",
        example={
            "label": "Provision iPad",
            "schema_version": "1.0",
            "applies_to": "UNIT",
            "starts_at": "image",
            "steps": {
                "image": {"step_type": "pass", "label": "Image", "goto": "done"},
                "done": {"step_type": "success", "label": "Done"},
            },
        },
    )
)
class WorkFlowViewSet(ResourceViewSet):
    collection = "work-flows"
    queryset = WorkFlow.objects.all()
    serializer_class = WorkFlowSerializer
    lookup_url_kwarg = "workflow_id"
    locked_methods = frozenset({"DELETE"})
    filterset_class = bracketed_filterset(
        "WorkFlowFilterSet",
        applies_to=filters.ChoiceFilter(
            field_name="applies_to", choices=[(code, code) for code in APPLIES_TO]
        ),
    )
    fields_class = services.WorkFlowFields
    create_service = staticmethod(services.workflow_create)
    update_service = staticmethod(services.workflow_update)
    delete_service = staticmethod(services.workflow_delete)


def _child_list(name: str, parent_model, parent_kwarg: str, parent_field: str, operation: str):
    view = type(
        name,
        (WorkOrderListMixin, ChildListViewSet),
        {
            "parent_queryset": parent_model.objects.all(),
            "parent_kwarg": parent_kwarg,
            "parent_field": parent_field,
        },
    )
    return extend_schema_view(
        list=extend_schema(
            summary=f"Fetch {parent_model._meta.verbose_name} work orders", operation_id=operation
        )
    )(view)


CustomerWorkOrdersViewSet = _child_list(
    "CustomerWorkOrdersViewSet",
    Customer,
    "customer_id",
    "project__program__customer",
    "fetchAllCustomerWorkOrders",
)
ProgramWorkOrdersViewSet = _child_list(
    "ProgramWorkOrdersViewSet",
    Program,
    "program_id",
    "project__program",
    "fetchAllProgramWorkOrders",
)
ProjectWorkOrdersViewSet = _child_list(
    "ProjectWorkOrdersViewSet", Project, "project_id", "project", "fetchAllProjectWorkOrders"
)


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
CustomerViewSet.add_include("work-orders", CustomerWorkOrdersViewSet)
ProjectViewSet.add_include("work-orders", ProjectWorkOrdersViewSet)
