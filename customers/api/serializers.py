from rest_framework import serializers

from niagara.api.fields import DocumentField, HalLinksField, StrictCharField, StrictEmailField
from niagara.api.serializers import ResourceSerializer

from ..models import EXTERNAL_PLATFORM, Contact, Customer
from ..statuses import ALLOWED_STATUSES


class CustomerSerializer(ResourceSerializer):
    customer_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the entity")
    external_platform = DocumentField(EXTERNAL_PLATFORM, required=False, default=dict)
    allowed_statuses = DocumentField(ALLOWED_STATUSES)
    total_programs = serializers.IntegerField(read_only=True)
    total_projects = serializers.IntegerField(read_only=True)
    _links = HalLinksField(
        {
            "self": "customers/{obj.public_id}",
            "nter:customer-contacts": "customers/{obj.public_id}/contacts",
        }
    )

    class Meta:
        model = Customer
        fields = [
            "customer_id",
            "label",
            "created",
            "updated",
            "external_platform",
            "total_programs",
            "total_projects",
            "allowed_statuses",
            "_links",
        ]


class ContactSerializer(ResourceSerializer):
    contact_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the entity")
    name = StrictCharField(max_length=200, help_text="Contact name")
    email = StrictEmailField(help_text="Email address")
    phone = StrictCharField(
        max_length=50, required=False, allow_null=True, allow_blank=True, help_text="Phone number"
    )
    _links = HalLinksField({"self": "contacts/{obj.public_id}"})

    class Meta:
        model = Contact
        fields = ["contact_id", "label", "created", "updated", "name", "email", "phone", "_links"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = data["phone"] or None
        return data
