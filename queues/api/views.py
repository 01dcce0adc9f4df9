from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from niagara.api.schema import crud_schema
from niagara.api.viewsets import ChildListViewSet, NiagaraViewSet, ResourceViewSet

from .. import services
from ..models import Location, LocationType, Queue
from .serializers import LocationSerializer, QueueSerializer


@extend_schema_view(**crud_schema("location", "locations", "Location"))
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


def _queues():
    from batches.selectors import queues_for_display

    return queues_for_display()


@extend_schema_view(**crud_schema("queue", "queues", "Queue"))
class QueueViewSet(ResourceViewSet):
    collection = "queues"
    serializer_class = QueueSerializer
    lookup_url_kwarg = "queue_id"
    ordering = ("-priority", "id")
    locked_methods = frozenset({"DELETE"})
    noun = "queue"
    create_service = services.queue_create
    update_service = services.queue_update
    delete_service = services.queue_delete

    def get_queryset(self):
        return _queues()


@extend_schema_view(
    list=extend_schema(summary="Fetch location queues", operation_id="fetchQueuesForLocation")
)
class LocationQueuesViewSet(ChildListViewSet):
    collection = "queues"
    queryset = Queue.objects.all()
    serializer_class = QueueSerializer
    ordering = ("-priority", "id")
    parent_queryset = Location.objects.all()
    parent_kwarg = "location_id"
    parent_field = "location"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Queue.objects.none()
        return _queues().filter(location=self.parent)
