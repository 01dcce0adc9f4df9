from django.urls import path

from .views import (
    FacilityViewSet,
    LocationQueuesViewSet,
    LocationTechsViewSet,
    LocationViewSet,
    MeLocationsViewSet,
    QueueViewSet,
    WarehouseViewSet,
)

routes = [
    ("locations", LocationViewSet, "location"),
    ("facilities", FacilityViewSet, "facility"),
    ("ware-houses", WarehouseViewSet, "warehouse"),
    ("queues", QueueViewSet, "queue"),
]

urlpatterns = [
    path("me/locations", MeLocationsViewSet.as_view({"get": "list"}), name="me-locations"),
    path(
        "locations/<nid:location_id>/queues",
        LocationQueuesViewSet.as_view({"get": "list"}),
        name="location-queues",
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
