from .views import FacilityViewSet, LocationViewSet, WarehouseViewSet

routes = [
    ("locations", LocationViewSet, "location"),
    ("facilities", FacilityViewSet, "facility"),
    ("ware-houses", WarehouseViewSet, "warehouse"),
]

urlpatterns = []
