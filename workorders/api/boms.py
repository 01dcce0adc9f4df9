"""``/work-flows/{id}/boms``: a workflow's bills of materials, one a location where it has
open work orders (``GET /work-flows/{id}/boms/{location_id}`` asks any location)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from niagara.access import access_for
from niagara.api import rels
from niagara.api.fields import DateTimeField, HalLinksField, api_root
from niagara.api.serializers import ReadSerializer
from niagara.api.viewsets import ChildListViewSet, get_or_404
from queues.models import Location

from ..boms import bom_locations, boms_at
from ..models import WorkFlow, WorkOrder

EMBEDDED = ("nter:bom-work-flow", "nter:bom-work-order", "nter:bom-available-parts")
for _rel, _sentence in zip(
    EMBEDDED,
    (
        "Embedded in a BOM: its workflow.",
        "Embedded in a BOM: the open work order due first at its location (none: none is open).",
        "Embedded in a BOM: each part the workflow's runs allocate, with `needed` (what the "
        "open work orders there need) and `available` (units of it there, on no project).",
    ),
    strict=True,
):
    rels.register(_rel, _sentence)
rels.register("nter:bom-part", "In a BOM's part: the part.", "/api/parts/{part_id}")


BOM_EMBEDDED_SCHEMA = {
    "type": "object",
    "properties": {
        "nter:bom-work-flow": {
            "type": "array",
            "maxItems": 1,
            "items": {
                "type": "object",
                "properties": {"work_flow_id": {"type": "string"}, "label": {"type": "string"}},
            },
        },
        "nter:bom-work-order": {
            "type": "array",
            "maxItems": 1,
            "items": {
                "type": "object",
                "properties": {"work_order_id": {"type": "string"}, "label": {"type": "string"}},
            },
        },
        "nter:bom-available-parts": {
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["part_id", "label", "needed", "available"],
                "properties": {
                    "part_id": {"type": "string"},
                    "label": {"type": "string"},
                    "needed": {"type": "integer"},
                    "available": {"type": "integer"},
                },
            },
        },
    },
}


@extend_schema_field(BOM_EMBEDDED_SCHEMA)
class BomEmbeddedField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, bom):
        root = api_root(self.context.get("request"))
        work_order = bom.work_order
        return {
            "nter:bom-work-flow": [
                {
                    "work_flow_id": bom.work_flow.public_id,
                    "label": bom.work_flow.label,
                    "_links": {"self": {"href": f"{root}work-flows/{bom.work_flow.public_id}"}},
                }
            ],
            "nter:bom-work-order": []
            if work_order is None
            else [
                {
                    "work_order_id": work_order.public_id,
                    "label": work_order.label,
                    "_links": {"self": {"href": f"{root}work-orders/{work_order.public_id}"}},
                }
            ],
            "nter:bom-available-parts": [
                {
                    "part_id": line.part.public_id,
                    "label": line.part.label,
                    "needed": line.needed,
                    "available": line.available,
                    "_links": {
                        "self": {"href": f"{root}parts/{line.part.public_id}"},
                        "nter:bom-part": {"href": f"{root}parts/{line.part.public_id}"},
                    },
                }
                for line in bom.parts
            ],
        }


class BomSerializer(ReadSerializer):
    bom_id = serializers.CharField(source="public_id")
    label = serializers.CharField()
    created = DateTimeField()
    updated = DateTimeField()
    _links = HalLinksField(
        {
            "self": "work-flows/{obj.work_flow.public_id}/boms/{obj.location.public_id}",
            "nter:bom-work-order": "work-orders/{obj.work_order.public_id}",
            "nter:bom-location": "locations/{obj.location.public_id}",
            "nter:bom-work-flow": "work-flows/{obj.work_flow.public_id}",
        }
    )
    _embedded = BomEmbeddedField()


@extend_schema_view(
    list=extend_schema(
        summary="Fetch BOMs for work flow",
        operation_id="fetchBomsForWorkFlow",
        description="The workflow's bill of materials at each location where open work orders "
        "produce through it: the parts its runs allocate (`allocate-unit-to-project` steps), "
        "what those work orders need and how many units of each are free there.",
    ),
    retrieve=extend_schema(
        summary="Fetch location BOM for work flow",
        operation_id="fetchLocationBomForWorkFlow",
        description="The workflow's bill of materials at one location (any location the "
        "caller may read; `needed` is 0 where no open work order produces through it).",
    ),
)
class WorkFlowBomsViewSet(mixins.RetrieveModelMixin, ChildListViewSet):
    collection = "boms"
    serializer_class = BomSerializer
    queryset = Location.objects.all()
    parent_queryset = WorkFlow.objects.all()
    parent_kwarg = "workflow_id"
    lookup_url_kwarg = "location_id"

    def children_of(self, parent, queryset):
        return queryset.filter(pk__in=bom_locations(parent).values("pk"))

    def get_object(self):
        return get_or_404(
            access_for(self.request).visible(Location.objects.all()), self.kwargs["location_id"]
        )

    def get_serializer(self, *args, **kwargs):
        if args and not getattr(self, "swagger_fake_view", False):
            locations = list(args[0]) if kwargs.get("many") else [args[0]]
            work_orders = access_for(self.request).visible(WorkOrder.objects.all())
            boms = boms_at(self.parent, locations, work_orders=work_orders)
            found = [boms[location.pk] for location in locations]
            args = (found if kwargs.get("many") else found[0], *args[1:])
        return super().get_serializer(*args, **kwargs)
