from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.response import Response

from customers.api.views import CustomerViewSet
from customers.models import Customer, Project
from customers.statuses import StatusCategory
from niagara.api.filters import bracketed_filterset
from niagara.api.parsers import LimitedJSONParser
from niagara.api.schema import crud_schema
from niagara.api.viewsets import (
    MERGE_PATCH,
    ChildListViewSet,
    MergePatchParser,
    NiagaraViewSet,
    ResourceViewSet,
)

from .. import services
from ..models import Manufacturer, Part, Vendor
from ..selectors import (
    manufacturers_for_display,
    parts_for_display,
    units_for_display,
    vendors_for_display,
)
from .serializers import ManufacturerSerializer, PartSerializer, UnitSerializer, VendorSerializer


@extend_schema_view(
    **crud_schema(
        "manufacturer", "manufacturers", "Manufacturer", example={"label": "Acme Devices"}
    )
)
class ManufacturerViewSet(ResourceViewSet):
    collection = "manufacturers"
    queryset = manufacturers_for_display()
    serializer_class = ManufacturerSerializer
    lookup_url_kwarg = "manufacturer_id"
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.ManufacturerFields
    create_service = staticmethod(services.manufacturer_create)
    update_service = staticmethod(services.manufacturer_update)
    delete_service = staticmethod(services.manufacturer_delete)


@extend_schema_view(
    **{
        **crud_schema("vendor", "vendors", "Vendor", example={"label": "CDW"}),
        "destroy": extend_schema(
            summary="Delete vendor",
            operation_id="deleteVendor",
            description="Deletes a vendor no unit names; units keep their vendor for good, so "
            "one that units name is locked (423).",
        ),
    }
)
class VendorViewSet(ResourceViewSet):
    collection = "vendors"
    queryset = vendors_for_display()
    serializer_class = VendorSerializer
    lookup_url_kwarg = "vendor_id"
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.VendorFields
    create_service = staticmethod(services.vendor_create)
    update_service = staticmethod(services.vendor_update)
    delete_service = staticmethod(services.vendor_delete)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch my manufacturers",
        operation_id="fetchMeManufacturer",
        description="The manufacturers the caller can access: by a role that reads them "
        "(everywhere) or by a relation with one.",
    )
)
class MeManufacturersViewSet(mixins.ListModelMixin, NiagaraViewSet):
    collection = "manufacturers"
    queryset = manufacturers_for_display()
    serializer_class = ManufacturerSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Fetch my vendors",
        operation_id="fetchMeVendors",
        description="The vendors the caller can access: by a role that reads them "
        "(everywhere) or by a relation with one.",
    )
)
class MeVendorsViewSet(mixins.ListModelMixin, NiagaraViewSet):
    collection = "vendors"
    queryset = vendors_for_display()
    serializer_class = VendorSerializer


class PartListMixin:
    collection = "parts"
    queryset = parts_for_display()
    serializer_class = PartSerializer


@extend_schema_view(**crud_schema("part", "parts", "Part"))
class PartViewSet(PartListMixin, ResourceViewSet):
    lookup_url_kwarg = "part_id"
    conflict_methods = frozenset({"POST", "PUT"})
    # A part with units cannot move to another customer (PUT), nor go (DELETE): 423.
    locked_methods = frozenset({"PUT", "DELETE"})

    fields_class = services.PartFields
    create_service = staticmethod(services.part_create)
    update_service = staticmethod(services.part_update)
    delete_service = staticmethod(services.part_delete)


@extend_schema_view(
    list=extend_schema(summary="Fetch customer parts", operation_id="fetchAllCustomerParts")
)
class CustomerPartsViewSet(PartListMixin, ChildListViewSet):
    parent_queryset = Customer.objects.all()
    parent_kwarg = "customer_id"
    parent_field = "customer"


@extend_schema_view(
    list=extend_schema(summary="Fetch manufacturer parts", operation_id="fetchAllManufacturerParts")
)
class ManufacturerPartsViewSet(PartListMixin, ChildListViewSet):
    parent_queryset = Manufacturer.objects.all()
    parent_kwarg = "manufacturer_id"
    parent_field = "manufacturer"


UnitFilterSet = bracketed_filterset(
    "UnitFilterSet",
    serial_number=filters.CharFilter(
        field_name="serial_number", help_text="Serial number (without the part's prefix)"
    ),
    raw_serial_number=filters.CharFilter(
        field_name="raw_serial_number", help_text="Serial number as scanned"
    ),
    category=filters.ChoiceFilter(
        field_name="current_status__category",
        choices=StatusCategory.choices,
        help_text="Status category",
    ),
)


class UnitListMixin:
    collection = "units"
    queryset = units_for_display()
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet


@extend_schema_view(
    **{
        **crud_schema("unit", "units", "Unit"),
        "partial_update": extend_schema(
            summary="Partially update unit",
            operation_id="partialUpdateUnit",
            description="Changes the fields the body names (its status, its location, …), "
            "each validated as on PUT.",
        ),
    }
)
class UnitViewSet(UnitListMixin, ResourceViewSet):
    lookup_url_kwarg = "unit_id"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    conflict_methods = frozenset({"POST", "PUT", "PATCH"})
    # A unit bound to a cycle or run is kept (its production record): 423.
    locked_methods = frozenset({"DELETE"})

    fields_class = services.UnitFields
    create_service = staticmethod(services.unit_create)
    update_service = staticmethod(services.unit_update)
    delete_service = staticmethod(services.unit_delete)

    # PATCH /units/{id} takes the fields to change as JSON (the docs), or a merge patch.
    patch_parsers = (LimitedJSONParser, MergePatchParser)

    def partial_update(self, request, *args, **kwargs):
        if request.content_type.startswith(MERGE_PATCH):
            return super().partial_update(request, *args, **kwargs)
        unit = self.get_object()
        body = self.get_serializer(unit, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        self.check_if_match(unit)
        services.unit_change(unit, actor=request.user, changes=body.validated_data)
        return Response(self.get_serializer(self.reread(unit)).data)


@extend_schema_view(
    list=extend_schema(summary="Fetch customer units", operation_id="fetchAllCustomerUnits")
)
class CustomerUnitsViewSet(UnitListMixin, ChildListViewSet):
    parent_queryset = Customer.objects.all()
    parent_kwarg = "customer_id"
    parent_field = "part__customer"


@extend_schema_view(
    list=extend_schema(summary="Fetch part units", operation_id="fetchAllPartUnits")
)
class PartUnitsViewSet(UnitListMixin, ChildListViewSet):
    parent_queryset = Part.objects.all()
    parent_kwarg = "part_id"
    parent_field = "part"


@extend_schema_view(
    list=extend_schema(summary="Fetch manufacturer units", operation_id="fetchAllManufacturerUnits")
)
class ManufacturerUnitsViewSet(UnitListMixin, ChildListViewSet):
    parent_queryset = Manufacturer.objects.all()
    parent_kwarg = "manufacturer_id"
    parent_field = "part__manufacturer"


@extend_schema_view(
    list=extend_schema(summary="Fetch vendor units", operation_id="fetchAllVendorUnits")
)
class VendorUnitsViewSet(UnitListMixin, ChildListViewSet):
    parent_queryset = Vendor.objects.all()
    parent_kwarg = "vendor_id"
    parent_field = "vendor"


@extend_schema_view(
    list=extend_schema(
        summary="Fetch project units",
        operation_id="fetchAllProjectUnits",
        description="The units allocated to the project.",
    )
)
class ProjectUnitsViewSet(UnitListMixin, ChildListViewSet):
    parent_queryset = Project.objects.all()
    parent_kwarg = "project_id"
    parent_field = "project"


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
CustomerViewSet.add_include("parts", CustomerPartsViewSet)
CustomerViewSet.add_include("units", CustomerUnitsViewSet)
PartViewSet.add_include("units", PartUnitsViewSet)
ManufacturerViewSet.add_include("parts", ManufacturerPartsViewSet)
ManufacturerViewSet.add_include("units", ManufacturerUnitsViewSet)
VendorViewSet.add_include("units", VendorUnitsViewSet)
