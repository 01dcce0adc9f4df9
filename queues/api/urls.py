from django.urls import path

from .views import (
    FacilityViewSet,
    LocationQueuesViewSet,
    LocationResourcesViewSet,
    LocationResourceViewSet,
    LocationTechsViewSet,
    LocationViewSet,
    MeLocationsViewSet,
    QueueViewSet,
    ResourceEntityViewSet,
    ResourceSubResourcesViewSet,
    SubResourceEntityViewSet,
    WarehouseViewSet,
)

routes = [
    ("locations", LocationViewSet, "location"),
    ("facilities", FacilityViewSet, "facility"),
    ("ware-houses", WarehouseViewSet, "warehouse"),
    ("queues", QueueViewSet, "queue"),
    ("resources", ResourceEntityViewSet, "resource"),
    ("sub-resources", SubResourceEntityViewSet, "sub-resource"),
]

urlpatterns = [
    path("me/locations", MeLocationsViewSet.as_view({"get": "list"}), name="me-locations"),
    path(
        "locations/<nid:location_id>/queues",
        LocationQueuesViewSet.as_view({"get": "list"}),
        name="location-queues",
    ),
    path(
        "locations/<nid:location_id>/resources",
        LocationResourcesViewSet.as_view({"get": "list"}),
        name="location-resources",
    ),
    path(
        "locations/<nid:location_id>/resources/<nid:resource_id>",
        LocationResourceViewSet.as_view({"get": "retrieve"}),
        name="location-resource",
    ),
    path(
        "resources/<nid:resource_id>/sub-resources",
        ResourceSubResourcesViewSet.as_view({"get": "list"}),
        name="resource-sub-resources",
    ),
    path(
        "locations/<nid:location_id>/techs",
        LocationTechsViewSet.as_view({"get": "list"}),
        name="location-techs",
    ),
    path(
        "locations/<nid:location_id>/techs/<nid:tech_id>",
        LocationTechsViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="location-tech",
    ),
]
