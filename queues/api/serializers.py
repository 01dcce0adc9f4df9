from rest_framework import serializers

from customers.input_filters import INPUT_FILTER
from niagara.api.fields import (
    DateTimeField,
    DocumentField,
    EmbeddedReferenceField,
    HalLinksField,
    MemberLinksField,
    StrictCharField,
    StrictNumberField,
    StrictRegexField,
)
from niagara.api.serializers import ReadSerializer, ResourceSerializer
from users.api.serializers import UserSerializer

from ..addresses import ADDRESS
from ..models import (
    META,
    RESOURCE_TYPE_PATTERN,
    Location,
    LocationType,
    Queue,
    Resource,
    SubResource,
)

LOCATION_FIELDS = [
    "location_id",
    "label",
    "created",
    "updated",
    "location_type",
    "formatted_address",
    "address",
]


class EmbeddedLocationSerializer(ResourceSerializer):
    """A location as embedded in work orders and queues (the seeds' shape: no links)."""

    location_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    location_type = serializers.ChoiceField(choices=LocationType.choices)
    formatted_address = serializers.CharField(read_only=True)
    address = DocumentField(ADDRESS)

    class Meta:
        model = Location
        fields = LOCATION_FIELDS


class LocationSerializer(EmbeddedLocationSerializer):
    input_filter = DocumentField(INPUT_FILTER, required=False)
    _links = HalLinksField(
        {
            "self": "locations/{obj.public_id}",
            "nter:location-queues": "locations/{obj.public_id}/queues",
            "nter:location-resources": "locations/{obj.public_id}/resources",
        },
        detail={"nter:location-techs": "locations/{obj.public_id}/techs"},
    )

    class Meta:
        model = Location
        fields = [*LOCATION_FIELDS, "input_filter", "_links"]


class WorkOrderCountsSerializer(ReadSerializer):
    """Distinct work orders with batches in the queue, by their status category."""

    pending = serializers.IntegerField(source="work_orders_pending")
    in_progress = serializers.IntegerField(source="work_orders_in_progress")
    verifying = serializers.IntegerField(source="work_orders_verifying")
    complete = serializers.IntegerField(source="work_orders_complete")
    blocked = serializers.IntegerField(source="work_orders_blocked")
    cancelled = serializers.IntegerField(source="work_orders_cancelled")


QUEUE_FIELDS = [
    "queue_id",
    "label",
    "created",
    "updated",
    "priority",
    "location",
    "active_work_orders",
    "active_batches",
    "active_cycles",
    "is_active",
    "min_due_date",
    "max_due_date",
    "total_work_orders",
    "total_batches",
]


class EmbeddedQueueSerializer(ResourceSerializer):
    """A queue with every counter; embedded as is in batches."""

    queue_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    priority = StrictNumberField(min_value=0)
    location = EmbeddedReferenceField(
        queryset=Location.objects.all(), id_name="location_id", embedded=EmbeddedLocationSerializer
    )
    active_work_orders = serializers.IntegerField(read_only=True)
    active_batches = serializers.IntegerField(read_only=True)
    active_cycles = serializers.IntegerField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    min_due_date = DateTimeField(read_only=True, allow_null=True)
    max_due_date = DateTimeField(read_only=True, allow_null=True)
    total_work_orders = WorkOrderCountsSerializer(source="*", read_only=True)
    total_batches = serializers.IntegerField(read_only=True)

    class Meta:
        model = Queue
        fields = QUEUE_FIELDS


class QueueSerializer(EmbeddedQueueSerializer):
    _links = HalLinksField(
        {
            "self": "queues/{obj.public_id}",
            "nter:queue-location": "locations/{obj.location.public_id}",
            "nter:queue-batches": "queues/{obj.public_id}/batches",
        }
    )

    class Meta:
        model = Queue
        fields = [*QUEUE_FIELDS, "_links"]


class LocationTechSerializer(UserSerializer):
    """A technician as the location's list shows them, to whoever reads the location: ``self``
    is their place in the list (``DELETE`` there detaches them); ``nter:user``, the person
    (``tenant:read``, or themself)."""

    _links = MemberLinksField(
        "locations/{parent.public_id}/techs/{obj.public_id}",
        rel="nter:user",
        own="users/{obj.public_id}",
    )

    class Meta(UserSerializer.Meta):
        pass


RESOURCE_FIELDS = [
    "resource_id",
    "label",
    "created",
    "updated",
    "resource_type",
    "meta",
    "location",
    "input_filter",
]


class ResourceFieldsMixin(serializers.Serializer):
    label = StrictCharField(max_length=200, help_text="Label for the entity")
    resource_type = StrictRegexField(
        RESOURCE_TYPE_PATTERN,
        max_length=100,
        help_text="Groups resources together (kebab-cased: imaging-port, vpn-slot)",
    )
    meta = DocumentField(META, required=False, default=dict)
    location = EmbeddedReferenceField(
        queryset=Location.objects.all(),
        id_name="location_id",
        embedded=EmbeddedLocationSerializer,
        help_text="Where it is",
    )
    input_filter = DocumentField(INPUT_FILTER, required=False)


class EmbeddedResourceSerializer(ResourceFieldsMixin, ResourceSerializer):
    """A resource as its sub-resources embed it."""

    resource_id = serializers.CharField(source="public_id", read_only=True)

    class Meta:
        model = Resource
        fields = RESOURCE_FIELDS


class ResourceEntitySerializer(EmbeddedResourceSerializer):
    _links = HalLinksField(
        {
            "self": "resources/{obj.public_id}",
            "nter:resource-location": "locations/{obj.location.public_id}",
            "nter:resource-sub-resources": "resources/{obj.public_id}/sub-resources",
            "nter:resource-contexts": "resources/{obj.public_id}/contexts",
            "nter:location-resource": "locations/{obj.location.public_id}/resources/"
            "{obj.public_id}",
        }
    )

    class Meta:
        model = Resource
        fields = [*RESOURCE_FIELDS, "_links"]


class SubResourceSerializer(ResourceFieldsMixin, ResourceSerializer):
    sub_resource_id = serializers.CharField(source="public_id", read_only=True)
    location = EmbeddedReferenceField(
        queryset=Location.objects.all(),
        id_name="location_id",
        embedded=EmbeddedLocationSerializer,
        help_text="Where it is: its resource's location",
    )
    resource = EmbeddedReferenceField(
        queryset=Resource.objects.all(),
        id_name="resource_id",
        embedded=EmbeddedResourceSerializer,
        help_text="The resource it is a slot of",
    )
    _links = HalLinksField(
        {
            "self": "sub-resources/{obj.public_id}",
            "nter:sub-resource-parent": "resources/{obj.resource.public_id}",
            "nter:sub-resource-location": "locations/{obj.location.public_id}",
        }
    )

    class Meta:
        model = SubResource
        fields = [
            "sub_resource_id",
            *RESOURCE_FIELDS[1:],
            "resource",
            "_links",
        ]
