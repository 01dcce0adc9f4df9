from rest_framework import serializers

from niagara.api.fields import DocumentField, HalLinksField, StrictCharField
from niagara.api.serializers import ResourceSerializer
from niagara.input_filters import INPUT_FILTER

from ..addresses import ADDRESS
from ..models import Location, LocationType

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
    _links = HalLinksField({"self": "locations/{obj.public_id}"})

    class Meta:
        model = Location
        fields = [*LOCATION_FIELDS, "input_filter", "_links"]
