from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from niagara.access import access_for
from niagara.api.schema import crud_schema
from niagara.api.viewsets import (
    ChildListViewSet,
    MemberListViewSet,
    NiagaraViewSet,
    ResourceViewSet,
    get_or_404,
)
from users.models import User

from .. import services
from ..models import Location, LocationType, Resource
from ..selectors import (
    location_techs,
    queues_for_display,
    resources_for_display,
    sub_resources_for_display,
)
from .serializers import (
    LocationSerializer,
    LocationTechSerializer,
    QueueSerializer,
    ResourceEntitySerializer,
    SubResourceSerializer,
)


@extend_schema_view(
    **crud_schema(
        "location",
        "locations",
        "Location",
        example={
            "label": "Albany DC",
            "location_type": "warehouse",
            "address": {
                "country": "USA",
                "administrative_area": "NY",
                "locality": "Menands",
                "postal_code": "12204",
                "thoroughfare": "431 Broadway",
            },
        },
    )
)
class LocationViewSet(ResourceViewSet):
    collection = "locations"
    queryset = Location.objects.all()
    serializer_class = LocationSerializer
    lookup_url_kwarg = "location_id"
    locked_methods = frozenset({"DELETE"})

    fields_class = services.LocationFields
    create_service = staticmethod(services.location_create)
    update_service = staticmethod(services.location_update)
    delete_service = staticmethod(services.location_delete)


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


@extend_schema_view(
    list=extend_schema(
        summary="Fetch my locations",
        operation_id="fetchMeLocations",
        description="The locations the caller can access: by a role held on them (or "
        "everywhere) or by a relation with them.",
    )
)
class MeLocationsViewSet(mixins.ListModelMixin, NiagaraViewSet):
    collection = "locations"
    queryset = Location.objects.all()
    serializer_class = LocationSerializer


class QueueListMixin:
    """Queues, highest priority first, with the counters other apps register."""

    collection = "queues"
    queryset = queues_for_display()
    serializer_class = QueueSerializer
    ordering = ("-priority", "id")

    def get_queryset(self):
        # A queue is shared by customers: its counters count what the caller may read.
        self.queryset = queues_for_display(access_for(self.request))
        return super().get_queryset()


@extend_schema_view(
    **{
        **crud_schema("queue", "queues", "Queue"),
        "list": extend_schema(
            summary="Fetch queues",
            operation_id="fetchAllQueues",
            description="Queues, highest priority first, with their batch and cycle counters.",
        ),
    }
)
class QueueViewSet(QueueListMixin, ResourceViewSet):
    lookup_url_kwarg = "queue_id"
    locked_methods = frozenset({"DELETE"})
    fields_class = services.QueueFields
    create_service = staticmethod(services.queue_create)
    update_service = staticmethod(services.queue_update)
    delete_service = staticmethod(services.queue_delete)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch location queues",
        operation_id="fetchQueuesForLocation",
        description="The location's queues, highest priority first.",
    )
)
class LocationQueuesViewSet(QueueListMixin, ChildListViewSet):
    parent_queryset = Location.objects.all()
    parent_kwarg = "location_id"
    parent_field = "location"


@extend_schema_view(
    list=extend_schema(
        summary="Fetch location technicians",
        operation_id="fetchTechsForLocation",
        description="The technicians of the location: users with a `tech` relation to it "
        "(made with `POST /locations/{location_id}/relations`; there is no `POST` here).",
    ),
    retrieve=extend_schema(
        summary="Fetch a location technician",
        operation_id="fetchTechForLocation",
        description="A technician of the location, to whoever reads the location (the "
        "person's own resource, `nter:user`, needs `tenant:read`).",
    ),
    destroy=extend_schema(
        summary="Detach a technician",
        operation_id="detachTechFromLocation",
        description="Removes the technician's `tech` relation with the location.",
    ),
)
class LocationTechsViewSet(MemberListViewSet):
    collection = "users"
    serializer_class = LocationTechSerializer
    parent_queryset = Location.objects.all()
    parent_kwarg = "location_id"
    lookup_url_kwarg = "tech_id"

    queryset = User.objects.all()
    # Detaching: ``location:detach`` on the location. Reading: whoever reads the location.
    action_permissions = {"destroy": "location:detach"}

    def children_of(self, parent, queryset):
        return location_techs(parent)

    def perform_destroy(self, instance):
        services.location_tech_remove(self.parent, actor=self.request.user, tech=instance)


class ResourceListMixin:
    collection = "resources"
    queryset = resources_for_display()
    serializer_class = ResourceEntitySerializer


@extend_schema_view(**crud_schema("resource", "resources", "Resource"))
class ResourceEntityViewSet(ResourceListMixin, ResourceViewSet):
    lookup_url_kwarg = "resource_id"
    # One with sub-resources cannot go, nor move to another location: 423.
    locked_methods = frozenset({"PUT", "DELETE"})

    fields_class = services.ResourceFields
    create_service = staticmethod(services.resource_create)
    update_service = staticmethod(services.resource_update)
    delete_service = staticmethod(services.resource_delete)


@extend_schema_view(
    list=extend_schema(summary="Fetch location resources", operation_id="fetchResourcesForLocation")
)
class LocationResourcesViewSet(ResourceListMixin, ChildListViewSet):
    parent_queryset = Location.objects.all()
    parent_kwarg = "location_id"
    parent_field = "location"


@extend_schema_view(
    retrieve=extend_schema(
        summary="Fetch location resource",
        operation_id="fetchResourceForLocation",
        description="One resource at the location (the 04-03 docs' route): a resource "
        "elsewhere is not found here.",
    )
)
class LocationResourceViewSet(ResourceListMixin, mixins.RetrieveModelMixin, ChildListViewSet):
    parent_queryset = Location.objects.all()
    parent_kwarg = "location_id"
    parent_field = "location"
    lookup_url_kwarg = "resource_id"

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs[self.lookup_url_kwarg])


class SubResourceListMixin:
    collection = "sub-resources"
    queryset = sub_resources_for_display()
    serializer_class = SubResourceSerializer


@extend_schema_view(**crud_schema("sub-resource", "sub-resources", "SubResource"))
class SubResourceEntityViewSet(SubResourceListMixin, ResourceViewSet):
    lookup_url_kwarg = "sub_resource_id"

    fields_class = services.SubResourceFields
    create_service = staticmethod(services.sub_resource_create)
    update_service = staticmethod(services.sub_resource_update)
    delete_service = staticmethod(services.sub_resource_delete)


@extend_schema_view(
    list=extend_schema(summary="Fetch sub-resources", operation_id="fetchAllChildResources")
)
class ResourceSubResourcesViewSet(SubResourceListMixin, ChildListViewSet):
    parent_queryset = Resource.objects.all()
    parent_kwarg = "resource_id"
    parent_field = "resource"


LocationViewSet.add_include("resources", LocationResourcesViewSet)
ResourceEntityViewSet.add_include("sub-resources", ResourceSubResourcesViewSet)
