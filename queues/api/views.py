from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from niagara.api.viewsets import NiagaraViewSet, ResourceViewSet

from .. import services
from ..models import Location, LocationType
from .serializers import LocationSerializer

LOCATION_SCHEMA = {
    "list": extend_schema(summary="Fetch locations", operation_id="fetchAllLocations"),
    "create": extend_schema(summary="Create location", operation_id="createLocation"),
    "retrieve": extend_schema(summary="Fetch location", operation_id="fetchLocationById"),
    "update": extend_schema(summary="Update location", operation_id="updateLocation"),
    "destroy": extend_schema(summary="Delete location", operation_id="deleteLocation"),
}


@extend_schema_view(**LOCATION_SCHEMA)
class LocationViewSet(ResourceViewSet):
    collection = "locations"
    queryset = Location.objects.all()
    serializer_class = LocationSerializer
    lookup_url_kwarg = "location_id"
    locked_methods = frozenset({"DELETE"})

    noun = "location"
    create_service = services.location_create
    update_service = services.location_update
    delete_service = services.location_delete


@extend_schema_view(
    list=extend_schema(summary="Fetch facilities", operation_id="fetchAllFacilities")
)
class FacilityViewSet(mixins.ListModelMixin, NiagaraViewSet):
    collection = "locations"
    queryset = Location.objects.filter(location_type=LocationType.FACILITY)
    serializer_class = LocationSerializer


@extend_schema_view(
    list=extend_schema(summary="Fetch warehouses", operation_id="fetchAllWarehouses")
)
class WarehouseViewSet(mixins.ListModelMixin, NiagaraViewSet):
    collection = "locations"
    queryset = Location.objects.filter(location_type=LocationType.WAREHOUSE)
    serializer_class = LocationSerializer
