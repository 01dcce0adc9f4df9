from rest_framework import serializers

from customers.input_filters import INPUT_FILTER
from niagara.api.fields import (
    DocumentField,
    EmbeddedReferenceField,
    HalLinksField,
    LabelsField,
    MemberLinksField,
    OptionalTextField,
    StrictBooleanField,
    StrictCharField,
    StrictDateTimeField,
    StrictEmailField,
    StrictNumberField,
    StrictRegexField,
)
from niagara.api.serializers import ResourceSerializer, StrictSerializer

from ..models import EXTERNAL_PLATFORM, Contact, Customer, Program, Project
from ..statuses import ALLOWED_STATUSES, STATUS_LABEL_PATTERN, StatusCategory

CUSTOMER_FIELDS = [
    "customer_id",
    "label",
    "created",
    "updated",
    "external_platform",
    "total_programs",
    "total_projects",
    "allowed_statuses",
]


class EmbeddedCustomerSerializer(ResourceSerializer):
    """A customer as embedded in its programs and projects (the seeds' shape: no links)."""

    customer_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the entity")
    external_platform = DocumentField(EXTERNAL_PLATFORM, required=False, default=dict)
    allowed_statuses = DocumentField(ALLOWED_STATUSES)
    total_programs = serializers.IntegerField(read_only=True)
    total_projects = serializers.IntegerField(read_only=True)

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS


class CustomerSerializer(EmbeddedCustomerSerializer):
    is_active = StrictBooleanField(
        required=False, help_text="An inactive customer takes no new work (default true)"
    )
    labels = LabelsField()
    _links = HalLinksField(
        {
            "self": "customers/{obj.public_id}",
            "nter:customer-programs": "customers/{obj.public_id}/programs",
            "nter:customer-projects": "customers/{obj.public_id}/projects",
            "nter:customer-work-orders": "customers/{obj.public_id}/work-orders",
            "nter:customer-contacts": "customers/{obj.public_id}/contacts",
            "nter:customer-parts": "customers/{obj.public_id}/parts",
            "nter:customer-units": "customers/{obj.public_id}/units",
        }
    )

    class Meta:
        model = Customer
        fields = [*CUSTOMER_FIELDS, "is_active", "labels", "_links"]


class StatusesField(DocumentField):
    """``allowed_statuses`` of a level that narrows its parent's: written as its own list (or
    null to inherit), answered as the list in force."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(ALLOWED_STATUSES, **kwargs)

    def get_attribute(self, instance):
        return instance.effective_statuses


PROGRAM_FIELDS = [
    "program_id",
    "label",
    "created",
    "updated",
    "customer",
    "start_date",
    "end_date",
    "allowed_statuses",
]


class EmbeddedProgramSerializer(ResourceSerializer):
    """A program as embedded in its projects (the seeds' shape)."""

    program_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    customer = EmbeddedReferenceField(
        queryset=Customer.objects.all(), id_name="customer_id", embedded=EmbeddedCustomerSerializer
    )
    start_date = StrictDateTimeField(required=False, allow_null=True)
    end_date = StrictDateTimeField(required=False, allow_null=True)
    allowed_statuses = StatusesField()

    class Meta:
        model = Program
        fields = PROGRAM_FIELDS


class ProgramSerializer(EmbeddedProgramSerializer):
    labels = LabelsField()
    input_filter = DocumentField(INPUT_FILTER, required=False)
    _links = HalLinksField(
        {
            "self": "programs/{obj.public_id}",
            "nter:program-customer": "customers/{obj.customer.public_id}",
            "nter:program-projects": "programs/{obj.public_id}/projects",
            "nter:program-work-orders": "programs/{obj.public_id}/work-orders",
        }
    )

    class Meta:
        model = Program
        fields = [*PROGRAM_FIELDS, "labels", "input_filter", "_links"]


PROJECT_FIELDS = [
    "project_id",
    "label",
    "description",
    "created",
    "updated",
    "customer",
    "program",
    "start_date",
    "end_date",
    "allowed_statuses",
]


class EmbeddedProjectSerializer(ResourceSerializer):
    """A project as embedded in its work orders (the seeds' shape); as a resource it adds its
    custom fields and links."""

    project_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    description = OptionalTextField()
    program = EmbeddedReferenceField(
        queryset=Program.objects.all(), id_name="program_id", embedded=EmbeddedProgramSerializer
    )
    customer = EmbeddedCustomerSerializer(source="program.customer", read_only=True)
    start_date = StrictDateTimeField(required=False, allow_null=True)
    end_date = StrictDateTimeField(required=False, allow_null=True)
    allowed_statuses = StatusesField()

    class Meta:
        model = Project
        fields = PROJECT_FIELDS


class ProjectSerializer(EmbeddedProjectSerializer):
    labels = LabelsField()
    input_filter = DocumentField(INPUT_FILTER, required=False)
    _links = HalLinksField(
        {
            "self": "projects/{obj.public_id}",
            "nter:project-program": "programs/{obj.program.public_id}",
            "nter:project-customer": "customers/{obj.program.customer.public_id}",
            "nter:project-work-orders": "projects/{obj.public_id}/work-orders",
            "nter:project-units": "projects/{obj.public_id}/units",
        }
    )

    class Meta:
        model = Project
        fields = [*PROJECT_FIELDS, "labels", "input_filter", "_links"]


class ContactSerializer(ResourceSerializer):
    contact_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the entity")
    name = StrictCharField(max_length=200, help_text="Contact name")
    email = StrictEmailField(help_text="Email address")
    phone = OptionalTextField(max_length=50, help_text="Phone number")
    input_filter = DocumentField(INPUT_FILTER, required=False)
    _links = HalLinksField({"self": "contacts/{obj.public_id}"})

    class Meta:
        model = Contact
        fields = [
            "contact_id",
            "label",
            "created",
            "updated",
            "name",
            "email",
            "phone",
            "input_filter",
            "_links",
        ]


class CustomerContactSerializer(ContactSerializer):
    """A contact as its customer's list shows it, to whoever reads the customer: ``self`` is
    its place in the list; ``nter:contact``, the contact itself (``contact:read``)."""

    _links = MemberLinksField(
        "customers/{parent.public_id}/contacts/{obj.public_id}",
        rel="nter:contact",
        own="contacts/{obj.public_id}",
    )

    class Meta(ContactSerializer.Meta):
        pass


class TenantStatusSerializer(StrictSerializer):
    """One status of the shop's vocabulary, which new customers start from (the docs'
    status object, ``POST /settings/statuses``)."""

    status = StrictRegexField(
        STATUS_LABEL_PATTERN, max_length=200, help_text="A custom label for the status"
    )
    category = serializers.ChoiceField(
        choices=StatusCategory.choices, help_text="The classifier for the status"
    )
    description = serializers.CharField(
        required=False, allow_null=True, max_length=1000, help_text="A description"
    )
    order = StrictNumberField(
        required=False, help_text="Where it is listed (default: after the others)"
    )
