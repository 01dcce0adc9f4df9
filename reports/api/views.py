"""Reporting over the API (§3.16): custom fields per entity type, reports with their CSV,
and metrics."""

import re
from datetime import timedelta

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.exceptions import NotFound
from niagara.api.fields import StrictDateTimeField, StrictIntegerField, api_root
from niagara.api.serializers import ClosedObjectMixin, StrictValidationMixin
from niagara.api.viewsets import NiagaraViewSet

from .. import services
from ..catalogue import BASES
from ..fields import entity_types, fields_of
from ..metrics import METRICS, metrics_of
from ..models import Report

MAX_RANGE = timedelta(days=366)
KEY_PATTERN = r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$"
KEY_PARAMETER = OpenApiParameter(
    "filter[key]",
    str,
    OpenApiParameter.QUERY,
    required=False,
    pattern=KEY_PATTERN,
    description="One custom field, by its key",
)


class FieldSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()


class FieldsSerializer(serializers.Serializer):
    fields = FieldSerializer(many=True)
    _links = serializers.DictField()


class ItemSerializer(ClosedObjectMixin, StrictValidationMixin, serializers.Serializer):
    """A closed object inside a list (a plain serializer: copied into each list it is in)."""


class QueryItemSerializer(ItemSerializer):
    field = serializers.CharField(max_length=100)
    operators = serializers.ChoiceField(choices=services.OPERATORS)
    operand = serializers.CharField(max_length=500, required=False, allow_null=True)


class AliasSerializer(ItemSerializer):
    key = serializers.CharField(max_length=100)
    alias = serializers.CharField(max_length=200)


class FieldSetSerializer(ItemSerializer):
    fields = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False
    )
    query = QueryItemSerializer(many=True, required=False, max_length=20)
    aliases = AliasSerializer(many=True, required=False, max_length=50)


class ReportRequestSerializer(ItemSerializer):
    base_entity = serializers.ChoiceField(choices=list(BASES))
    core_fields = FieldSetSerializer(required=False)
    custom_fields = FieldSetSerializer(required=False)


class HeaderSerializer(serializers.Serializer):
    label = serializers.CharField()
    key = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    report_id = serializers.CharField()
    base_entity = serializers.CharField()
    header = HeaderSerializer(many=True)
    data = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    _links = serializers.DictField()


class MetricAskedSerializer(ItemSerializer):
    metric = serializers.ChoiceField(
        choices=list(METRICS), help_text=", ".join(f"{k}: {v}" for k, v in METRICS.items())
    )
    top = StrictIntegerField(
        min_value=1, max_value=50, required=False, help_text="Only the largest values"
    )


class MetricsRequestSerializer(ItemSerializer):
    metrics = serializers.ListField(
        child=MetricAskedSerializer(), min_length=1, max_length=len(METRICS)
    )
    date_start = StrictDateTimeField()
    date_end = StrictDateTimeField()

    def validate(self, data):
        if data["date_end"] <= data["date_start"]:
            raise serializers.ValidationError({"date_end": ["after date_start"]})
        if data["date_end"] - data["date_start"] > MAX_RANGE:
            raise serializers.ValidationError({"date_end": ["at most 366 days after date_start"]})
        return data


class DimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()


class MetricSerializer(serializers.Serializer):
    entity_type = serializers.CharField()
    metric = serializers.CharField()
    value = serializers.FloatField()
    date = serializers.DateTimeField()
    dimensions = DimensionSerializer(many=True)


class MetricsSerializer(serializers.Serializer):
    metrics = MetricSerializer(many=True)
    _links = serializers.DictField()


class ReportSummarySerializer(serializers.ModelSerializer):
    """A report in the list of one's reports: what it is, and where its rows are."""

    report_id = serializers.CharField(source="public_id")
    created = serializers.DateTimeField()
    _links = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["report_id", "base_entity", "definition", "created", "_links"]

    def get__links(self, report) -> dict:
        root = api_root(self.context["request"])
        return {
            "self": {"href": f"{root}reports/{report.public_id}"},
            "nter:report-download": {"href": f"{root}reports/{report.public_id}/download"},
        }


class ReportingViewSet(mixins.ListModelMixin, NiagaraViewSet):
    """Reporting: whoever signs in reports on what they may read, and nothing else. ``GET
    /reports`` (beyond the docs) lists the caller's own reports, newest first: how a client
    finds one it made again."""

    collection = "reports"
    ordering = ("-id",)

    permission_classes = [IsAuthenticated]
    serializer_class = ReportRequestSerializer  # what OPTIONS describes
    visibility = False
    conditional = False
    takes_requestor = False
    http_method_names = ["get", "post", "head", "options"]
    idempotent_actions = frozenset({"create", "metrics"})

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return Report.objects.filter(created_by=self.request.user)

    def get_serializer_class(self):
        return ReportSummarySerializer if self.action == "list" else ReportRequestSerializer

    @extend_schema(summary="Fetch reports", operation_id="fetchReports")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def allowed_query_params(self):
        allowed = super().allowed_query_params()
        if self.action in ("fields", "all_fields"):
            allowed.add("filter[key]")
        return allowed

    def _key_asked(self) -> str | None:
        key = self.request.query_params.get("filter[key]")
        if key is not None and not re.fullmatch(KEY_PATTERN, key):
            raise serializers.ValidationError(
                {"filter[key]": ["a custom field's key: lower-case letters, digits, - and _"]}
            )
        return key

    def _link(self, path: str) -> dict:
        return {"href": f"{api_root(self.request)}{path}"}

    @extend_schema(
        summary="Fetch fields for entity",
        operation_id="fetchFieldsForEntity",
        description="The custom fields (input filter keys) defined on entities of the type "
        "that the caller may read: what `custom_fields` of a report may name.",
        parameters=[
            OpenApiParameter(
                "entity_type", str, OpenApiParameter.PATH, pattern=r"^[a-z0-9]+(?:_[a-z0-9]+)*$"
            ),
            KEY_PARAMETER,
        ],
        responses={
            200: FieldsSerializer,
            400: OpenApiResponse(description="Bad request"),
            404: OpenApiResponse(description="Not found"),
        },
    )
    def fields(self, request, entity_type):
        if entity_type not in entity_types():
            raise NotFound(f'No entity type "{entity_type}" has custom fields')
        found = fields_of(request, entity_type, key=self._key_asked())
        return Response({"fields": found, "_links": {"self": self._link(f"fields/{entity_type}")}})

    @extend_schema(
        summary="Fetch fields",
        operation_id="fetchFields",
        description="The custom fields of every entity type, each with its `entity_type`.",
        parameters=[KEY_PARAMETER],
        responses={200: FieldsSerializer, 400: OpenApiResponse(description="Bad request")},
    )
    def all_fields(self, request):
        key = self._key_asked()
        found = [
            {**each, "entity_type": name}
            for name in sorted(entity_types())
            for each in fields_of(request, name, key=key)
        ]
        links = {
            "self": self._link("fields"),
            "nter:entity-fields": [
                {**self._link(f"fields/{name}"), "name": name} for name in sorted(entity_types())
            ],
        }
        return Response({"fields": found[:100], "_links": links})

    def _report(self, report) -> dict:
        rows = services.rows_of(report, self.request)
        data = [row for _, row in zip(range(services.SHOWN_ROWS), rows, strict=False)]
        return {
            "report_id": report.public_id,
            "base_entity": report.base_entity,
            "header": services.header_of(report),
            "data": data,
            "_links": {
                "self": self._link(f"reports/{report.public_id}"),
                "nter:report-download": self._link(f"reports/{report.public_id}/download"),
            },
        }

    @extend_schema(
        summary="Create report",
        operation_id="createReport",
        description="A report of the base entity: the named core (and custom) fields in the "
        "asked order, `aliases` renaming columns, `query` keeping the rows whose field "
        "matches (all must). The answer shows the first 100 rows; the download has them all.",
        request=ReportRequestSerializer,
        responses={201: ReportSerializer},
    )
    def create(self, request):
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        definition = {name: data[name] for name in ("core_fields", "custom_fields") if name in data}
        report = services.report_create(
            actor=request.user,
            base_entity=data["base_entity"],
            definition=definition,
            request=request,
        )
        return Response(self._report(report), status=status.HTTP_201_CREATED)

    def _own(self, report_id) -> Report:
        report = self.get_queryset().filter(public_id=report_id).first()
        if report is None:
            raise NotFound(f'A Resource with the id "{report_id}" was not found')
        return report

    @extend_schema(
        summary="Fetch report",
        operation_id="exportReport",
        description="A report made before, read again now (its first 100 rows).",
        responses={200: ReportSerializer},
    )
    def retrieve(self, request, report_id):
        return Response(self._report(self._own(report_id)))

    @extend_schema(
        summary="Download report",
        operation_id="downloadReport",
        description="The whole report as CSV (`text/csv`), streamed as it is read; a large "
        "report's (more rows than the server's REPORTS_BUILT_FROM_ROWS) is built by a worker "
        "once made, and answered from that file (`Last-Modified`) once it is ready.",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def download(self, request, report_id):
        report = self._own(report_id)
        csv_type = "text/csv; charset=utf-8"
        if report.built and report.file:
            # Built ahead by a worker (a large report): the file as of ``Last-Modified``.
            response = FileResponse(report.file.open("rb"), content_type=csv_type)
            response["Last-Modified"] = http_date(report.built.timestamp())
        else:
            response = StreamingHttpResponse(
                services.csv_lines(report, request), content_type=csv_type
            )
        response["Content-Disposition"] = f'attachment; filename="report-{report.public_id}.csv"'
        return response

    @extend_schema(
        summary="Create metric report",
        operation_id="createMetricReport",
        description="Named metrics between `date_start` and `date_end` (at most 366 days), "
        "each item a value with its date and dimensions (always `customer`; `step` for "
        "cycle_time, `technician` for technician_output). Dates are UTC days.",
        request=MetricsRequestSerializer,
        responses={201: MetricsSerializer},
    )
    def metrics(self, request):
        body = MetricsRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        items = metrics_of(request, data["metrics"], data["date_start"], data["date_end"])
        return Response(
            {"metrics": items, "_links": {"self": self._link("metrics")}},
            status=status.HTTP_201_CREATED,
        )
