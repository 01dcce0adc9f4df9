from django.urls import path

from .views import (
    CustomerPartsViewSet,
    CustomerUnitsViewSet,
    ManufacturerPartsViewSet,
    ManufacturerUnitsViewSet,
    ManufacturerViewSet,
    MeManufacturersViewSet,
    MeVendorsViewSet,
    PartUnitsViewSet,
    PartViewSet,
    ProjectUnitsViewSet,
    UnitViewSet,
    VendorUnitsViewSet,
    VendorViewSet,
)

routes = [
    ("manufacturers", ManufacturerViewSet, "manufacturer"),
    ("parts", PartViewSet, "part"),
    ("units", UnitViewSet, "unit"),
    ("vendors", VendorViewSet, "vendor"),
]

LISTS = [
    ("customers/<nid:customer_id>/parts", CustomerPartsViewSet, "customer-parts"),
    ("customers/<nid:customer_id>/units", CustomerUnitsViewSet, "customer-units"),
    ("manufacturers/<nid:manufacturer_id>/parts", ManufacturerPartsViewSet, "manufacturer-parts"),
    ("manufacturers/<nid:manufacturer_id>/units", ManufacturerUnitsViewSet, "manufacturer-units"),
    ("parts/<nid:part_id>/units", PartUnitsViewSet, "part-units"),
    ("projects/<nid:project_id>/units", ProjectUnitsViewSet, "project-units"),
    ("vendors/<nid:vendor_id>/units", VendorUnitsViewSet, "vendor-units"),
    ("me/manufacturers", MeManufacturersViewSet, "me-manufacturers"),
    ("me/vendors", MeVendorsViewSet, "me-vendors"),
]

urlpatterns = [path(url, view.as_view({"get": "list"}), name=name) for url, view, name in LISTS]
