from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from niagara.api.viewsets import CreateModelMixin, NiagaraViewSet, ResourceViewSet, get_or_404

from .. import services
from ..models import Contact, Customer
from ..selectors import customer_contacts
from .serializers import ContactSerializer, CustomerSerializer


@extend_schema_view(
    list=extend_schema(summary="Fetch customers", operation_id="fetchAllCustomers"),
    create=extend_schema(summary="Create customer", operation_id="createCustomer"),
    retrieve=extend_schema(summary="Fetch customer", operation_id="fetchCustomerById"),
    update=extend_schema(summary="Update customer", operation_id="updateCustomer"),
    destroy=extend_schema(summary="Delete customer", operation_id="deleteCustomer"),
)
class CustomerViewSet(ResourceViewSet):
    collection = "customers"
    queryset = Customer.objects.with_counters()
    serializer_class = CustomerSerializer
    lookup_url_kwarg = "customer_id"
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    def perform_create(self, serializer):
        return services.customer_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        return services.customer_update(
            actor=self.request.user, customer=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.customer_delete(actor=self.request.user, customer=instance)


@extend_schema_view(
    retrieve=extend_schema(summary="Fetch contact", operation_id="fetchContactById")
)
class ContactViewSet(mixins.RetrieveModelMixin, NiagaraViewSet):
    collection = "contacts"
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    lookup_url_kwarg = "contact_id"


@extend_schema_view(
    list=extend_schema(summary="Fetch customer contacts", operation_id="fetchAllCustomerContacts"),
    create=extend_schema(
        summary="Create customer contact",
        operation_id="attachCustomerContact",
        description=(
            "Creates the contact and links it to the customer. If a contact with the e-mail "
            "address exists, it is linked as it is instead."
        ),
    ),
)
class CustomerContactViewSet(CreateModelMixin, mixins.ListModelMixin, NiagaraViewSet):
    collection = "contacts"
    serializer_class = ContactSerializer
    # Reading the customer's contacts needs read access to the customer; linking needs edit.
    conflict_methods = frozenset({"POST"})
    customer_permissions = {"GET": "customers.view_customer", "POST": "customers.change_customer"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        required = self.customer_permissions.get(request.method)
        if required and not request.user.has_perm(required):
            self.permission_denied(request)

    @property
    def customer(self) -> Customer:
        if not hasattr(self, "_customer"):
            self._customer = get_or_404(Customer.objects.all(), self.kwargs["customer_id"])
        return self._customer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        return customer_contacts(self.customer)

    def perform_create(self, serializer):
        return services.contact_attach(
            actor=self.request.user, customer=self.customer, **serializer.validated_data
        )
