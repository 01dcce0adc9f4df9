"""``GET /search?q=``: one search over serials, labels, order numbers, customers and notes, in
the docs' Elasticsearch-like shape."""

import time

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.access import access_for
from niagara.api.fields import api_root
from niagara.api.serializers import ReadSerializer, StrictSerializer
from niagara.api.viewsets import NiagaraViewSet
from niagara.text import TEXT_PATTERN
from relations.registry import entities

from ..selectors import MAX_RESULTS, SEARCHED_CODES, search

CODES = "|".join(SEARCHED_CODES)


class SearchQuerySerializer(StrictSerializer):
    q = serializers.CharField(
        max_length=200, required=False, help_text="What to look for (none: no hits)"
    )
    type = serializers.MultipleChoiceField(
        choices=SEARCHED_CODES, required=False, help_text="Only these kinds (comma-separated)"
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_RESULTS, default=20)

    def to_internal_value(self, data):
        data = {**data}
        if isinstance(data.get("type"), str):
            data["type"] = [code for code in data["type"].split(",") if code]
        return super().to_internal_value(data)


class HitSourceSerializer(ReadSerializer):
    entity_type = serializers.CharField()
    entity_id = serializers.CharField()
    label = serializers.CharField()
    matched = serializers.CharField(help_text="The field that matched best")
    raw_serial_number = serializers.CharField(required=False, help_text="Units only")
    serial_number = serializers.CharField(required=False, help_text="Units only")


class LinkSerializer(ReadSerializer):
    href = serializers.URLField()


class HitLinksSerializer(ReadSerializer):
    self = LinkSerializer()


class HitSerializer(ReadSerializer):
    _index = serializers.CharField(help_text="The kind's collection: `units`, `work-orders`…")
    _id = serializers.CharField()
    _score = serializers.FloatField(help_text="3 an exact value, 2 a prefix, 1 a fragment")
    entity_type = serializers.CharField()
    entity_id = serializers.CharField()
    label = serializers.CharField()
    _source = HitSourceSerializer()
    _links = HitLinksSerializer()


@extend_schema_field({"type": "string", "enum": ["eq", "gte"]})
class TotalRelationField(serializers.CharField):
    """Elasticsearch's word for whether the total is exact."""


class TotalSerializer(ReadSerializer):
    value = serializers.IntegerField()
    relation = TotalRelationField(help_text="`gte`: there may be more than were looked at")


class HitsSerializer(ReadSerializer):
    total = TotalSerializer()
    max_score = serializers.FloatField(allow_null=True)
    hits = serializers.ListField(child=HitSerializer())


class SearchResultSerializer(ReadSerializer):
    took = serializers.IntegerField(help_text="Milliseconds")
    timed_out = serializers.BooleanField()
    hits = HitsSerializer()


class SearchAnswerSerializer(ReadSerializer):
    data = SearchResultSerializer()


class SearchViewSet(NiagaraViewSet):
    permission_classes = [IsAuthenticated]
    conditional = False
    takes_requestor = False
    serializer_class = SearchAnswerSerializer
    http_method_names = ["get", "head", "options"]

    def allowed_query_params(self) -> set[str]:
        return {*super().allowed_query_params(), "q", "type", "limit"}

    def get_queryset(self):
        return None

    @extend_schema(
        summary="Search",
        operation_id="search",
        description="Finds units by serial number (as scanned, or without the part's prefix; "
        "a fragment of three characters or more finds them too), work orders by label (the "
        "order number), customers, programs, projects, batches, parts, locations and notes "
        "(by the words of their text), among what the caller may read. Exact values rank "
        "first (3), then prefixes (2), then fragments (1). Every signed-in person may search: "
        "the access layer decides what is found.",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": 200, "pattern": TEXT_PATTERN},
                description="What to find (without it, the answer has no hits)",
            ),
            OpenApiParameter(
                "type",
                {"type": "string", "pattern": f"^({CODES})(,({CODES}))*$"},
                description=f"Only these kinds, comma-separated: {', '.join(SEARCHED_CODES)}",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS},
                description=f"Hits to answer: 1 to {MAX_RESULTS} (20)",
            ),
        ],
        responses={
            200: SearchAnswerSerializer,
            400: OpenApiResponse(
                description="An empty `q`, an unknown `type`, a `limit` out of range, or another "
                "parameter"
            ),
        },
    )
    def search(self, request, *args, **kwargs):
        started = time.monotonic()
        query = SearchQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        hits, more = search(
            access_for(request),
            wanted.get("q", "").replace("\x00", ""),  # no text holds one (PostgreSQL refuses it)
            codes=tuple(wanted.get("type") or SEARCHED_CODES),
            limit=wanted["limit"],
        )
        root = api_root(request)
        rows = [_hit(hit, root) for hit in hits]
        return Response(
            {
                "data": {
                    "took": round((time.monotonic() - started) * 1000),
                    "timed_out": False,
                    "hits": {
                        "total": {"value": len(rows), "relation": "gte" if more else "eq"},
                        "max_score": rows[0]["_score"] if rows else None,
                        "hits": rows,
                    },
                }
            }
        )


def _hit(hit, root: str) -> dict:
    kind = entities.get(hit.code)
    source = {
        "entity_type": hit.code,
        "entity_id": hit.public_id,
        "label": hit.label,
        "matched": hit.matched,
    }
    if hit.code == "UNIT":
        source["raw_serial_number"] = hit.values["raw_serial_number"]
        source["serial_number"] = hit.values["serial_number"]
    return {
        "_index": kind.collection,
        "_id": hit.public_id,
        "_score": round(hit.score, 2),
        "entity_type": hit.code,
        "entity_id": hit.public_id,
        "label": hit.label,
        "_source": source,
        "_links": {"self": {"href": root + kind.path(hit.public_id)}},
    }
