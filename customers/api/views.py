from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from niagara.access import access_for
from niagara.api.filters import LabelsFilter, bracketed_filterset
from niagara.api.schema import crud_schema
from niagara.api.viewsets import (
    ChildListViewSet,
    CreateModelMixin,
    NiagaraViewSet,
    ResourceViewSet,
)
from users.api.access import READ_METHODS

from .. import selectors, services
from ..models import Contact, Customer, Program, ShopSettings
from ..selectors import customer_contacts, programs_for_display, projects_for_display
from ..statuses import MAX_TENANT_STATUSES, STATUS_SCHEMA
from .serializers import (
    ContactSerializer,
    CustomerContactSerializer,
    CustomerSerializer,
    ProgramSerializer,
    ProjectSerializer,
    TenantStatusSerializer,
)

CustomerFilterSet = bracketed_filterset(
    "CustomerFilterSet",
    is_active=filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method=lambda queryset, name, value: queryset.filter(is_active=value == "true"),
        help_text="Active customers (true) or inactive ones (false)",
    ),
    labels=LabelsFilter(),
)
ProgramFilterSet = bracketed_filterset(
    "ProgramFilterSet",
    customer=filters.CharFilter(field_name="customer__public_id", help_text="customer_id"),
    labels=LabelsFilter(),
)
ProjectFilterSet = bracketed_filterset(
    "ProjectFilterSet",
    customer=filters.CharFilter(field_name="program__customer__public_id", help_text="customer_id"),
    program=filters.CharFilter(field_name="program__public_id", help_text="program_id"),
    labels=LabelsFilter(),
)


@extend_schema_view(
    **crud_schema(
        "customer",
        "customers",
        "Customer",
        example={
            "label": "Northwind Traders",
            "allowed_statuses": [
                {"status": "Pending", "category": "PENDING"},
                {"status": "In Progress", "category": "IN_PROGRESS"},
                {"status": "Complete", "category": "COMPLETE"},
            ],
        },
    )
)
class CustomerViewSet(ResourceViewSet):
    collection = "customers"
    queryset = Customer.objects.with_counters()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
    lookup_url_kwarg = "customer_id"
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.CustomerFields
    create_service = staticmethod(services.customer_create)
    update_service = staticmethod(services.customer_update)
    delete_service = staticmethod(services.customer_delete)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch my customers",
        operation_id="fetchMeCustomers",
        description="The customers the caller can access: by a role held on them (or above, "
        "or everywhere) or by a relation with them.",
    )
)
class MeCustomersViewSet(mixins.ListModelMixin, NiagaraViewSet):
    collection = "customers"
    queryset = Customer.objects.with_counters()
    serializer_class = CustomerSerializer


@extend_schema_view(**crud_schema("program", "programs", "Program"))
class ProgramViewSet(ResourceViewSet):
    collection = "programs"
    queryset = programs_for_display()
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilterSet
    lookup_url_kwarg = "program_id"
    # An inactive customer takes no new program; statuses still in use below stay: 409.
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.ProgramFields
    create_service = staticmethod(services.program_create)
    update_service = staticmethod(services.program_update)
    delete_service = staticmethod(services.program_delete)


@extend_schema_view(**crud_schema("project", "projects", "Project"))
class ProjectViewSet(ResourceViewSet):
    collection = "projects"
    queryset = projects_for_display()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    lookup_url_kwarg = "project_id"
    # An inactive customer; statuses still in use by its work orders: 409.
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.ProjectFields
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)
    delete_service = staticmethod(services.project_delete)


@extend_schema_view(
    list=extend_schema(summary="Fetch customer programs", operation_id="fetchAllCustomerPrograms")
)
class CustomerProgramsViewSet(ChildListViewSet):
    collection = "programs"
    queryset = programs_for_display()
    serializer_class = ProgramSerializer
    parent_queryset = Customer.objects.all()
    parent_kwarg = "customer_id"
    parent_field = "customer"


@extend_schema_view(
    list=extend_schema(summary="Fetch customer projects", operation_id="fetchAllCustomerProjects")
)
class CustomerProjectsViewSet(ChildListViewSet):
    collection = "projects"
    queryset = projects_for_display()
    serializer_class = ProjectSerializer
    parent_queryset = Customer.objects.all()
    parent_kwarg = "customer_id"
    parent_field = "program__customer"


@extend_schema_view(
    list=extend_schema(summary="Fetch program projects", operation_id="fetchAllProgramProjects")
)
class ProgramProjectsViewSet(ChildListViewSet):
    collection = "projects"
    queryset = projects_for_display()
    serializer_class = ProjectSerializer
    parent_queryset = Program.objects.all()
    parent_kwarg = "program_id"
    parent_field = "program"


@extend_schema_view(**crud_schema("contact", "contacts", "Contact"))
class ContactViewSet(ResourceViewSet):
    collection = "contacts"
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    lookup_url_kwarg = "contact_id"
    conflict_methods = frozenset({"POST", "PUT"})

    fields_class = services.ContactFields
    create_service = staticmethod(services.contact_create)
    update_service = staticmethod(services.contact_update)
    delete_service = staticmethod(services.contact_delete)


@extend_schema_view(
    list=extend_schema(summary="Fetch customer contacts", operation_id="fetchAllCustomerContacts"),
    retrieve=extend_schema(
        summary="Fetch a customer contact",
        operation_id="fetchCustomerContact",
        description="A contact of the customer, to whoever reads the customer (the contact's "
        "own resource, `nter:contact`, needs `contact:read`).",
    ),
    create=extend_schema(
        summary="Create customer contact",
        operation_id="attachCustomerContact",
        description=(
            "Creates the contact and links it to the customer. If a contact with the e-mail "
            "address exists, it is linked as it is instead."
        ),
    ),
)
class CustomerContactViewSet(CreateModelMixin, mixins.RetrieveModelMixin, ChildListViewSet):
    collection = "contacts"
    queryset = Contact.objects.all()
    serializer_class = CustomerContactSerializer
    lookup_url_kwarg = "contact_id"
    parent_queryset = Customer.objects.all()
    parent_kwarg = "customer_id"
    conflict_methods = frozenset({"POST"})
    # The customer's contacts are read with the customer (whoever may read it reads them);
    # linking one needs ``customer:attach`` on it besides ``contact:create``.
    visibility = False

    def check_create_permissions(self, validated_data):
        super().check_create_permissions(validated_data)
        if not access_for(self.request).allows("customer:attach", self.parent):
            self.permission_denied(self.request)

    def children_of(self, parent, queryset):
        return customer_contacts(parent)

    def perform_create(self, serializer):
        serializer.instance = services.contact_attach(
            actor=self.request.user,
            customer=self.parent,
            fields=services.ContactFields(**serializer.validated_data),
        )


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
CustomerViewSet.add_include("programs", CustomerProgramsViewSet)
CustomerViewSet.add_include("projects", CustomerProjectsViewSet)
CustomerViewSet.add_include("contacts", CustomerContactViewSet)
ProgramViewSet.add_include("projects", ProgramProjectsViewSet)


class SettingsPermission(BasePermission):
    """The shop's settings: reading them needs ``tenant:read``, changing them
    ``tenant:settings``, each held everywhere (the shop's administrators)."""

    message = "Only administrators (tenant:settings) may change the shop's settings."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        needed = "tenant:read" if request.method in READ_METHODS else "tenant:settings"
        return access_for(request).holds_everywhere(needed)


SETTINGS_STATUSES = "nter:settings-statuses"
STATUSES_PAGE = {
    "type": "object",
    "required": ["_embedded", "_links"],
    "properties": {
        "_embedded": {
            "type": "object",
            "required": [SETTINGS_STATUSES],
            "properties": {
                SETTINGS_STATUSES: {
                    "type": "array",
                    "maxItems": MAX_TENANT_STATUSES,
                    "items": STATUS_SCHEMA,
                }
            },
        },
        "_links": {
            "type": "object",
            "required": ["self"],
            "properties": {
                "self": {
                    "type": "object",
                    "required": ["href"],
                    "properties": {"href": {"type": "string", "format": "uri"}},
                }
            },
        },
    },
}


class SettingsStatusesViewSet(NiagaraViewSet):
    queryset = ShopSettings.objects.all()
    serializer_class = TenantStatusSerializer
    permission_classes = [SettingsPermission]
    conditional = False  # the list is answered whole; there is no entity to match

    # Not a page (the docs: the whole list, at most 100): no paging parameters.
    idempotent_actions = frozenset({"add"})

    @extend_schema(
        summary="Fetch all statuses",
        operation_id="fetchAllStatuses",
        description="The shop's status vocabulary, which new customers start from (not "
        "paged: at most 100). Needs `tenant:read`.",
        responses={200: STATUSES_PAGE},
    )
    def statuses(self, request, *args, **kwargs):
        return Response(self._page(selectors.tenant_statuses()))

    @extend_schema(
        summary="Create status",
        operation_id="createStatus",
        description="Adds one status to the shop's vocabulary and answers the whole list "
        "(200). A label already there (in any case) or a 101st status is a 409, as every "
        "taken label. Customers that exist keep their own statuses. Needs `tenant:settings`.",
        request=TenantStatusSerializer,
        responses={200: STATUSES_PAGE},
    )
    def add(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        status = {
            key: value
            for key, value in body.validated_data.items()
            if key != "description" or value is not None
        }
        statuses = services.tenant_status_add(actor=request.user, status=status)
        return Response(self._page(statuses))

    def _page(self, statuses) -> dict:
        href = self.request.build_absolute_uri(reverse("settings-statuses"))
        return {"_embedded": {SETTINGS_STATUSES: statuses}, "_links": {"self": {"href": href}}}
