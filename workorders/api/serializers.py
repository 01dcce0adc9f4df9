from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from customers.api.serializers import (
    EmbeddedCustomerSerializer,
    EmbeddedProgramSerializer,
    EmbeddedProjectSerializer,
)
from customers.input_filters import INPUT_FILTER
from customers.models import Project
from niagara.api.fields import (
    ID_PATTERN,
    DateTimeField,
    DocumentField,
    EmbeddedEntitiesField,
    EmbeddedReferenceField,
    HalLinksField,
    LabelsField,
    NoteCountSerializer,
    OptionalTextField,
    StrictCharField,
    StrictDateTimeField,
    StrictIntegerField,
    StrictRegexField,
)
from niagara.api.schema import ignoring_other_keys
from niagara.api.serializers import ReadSerializer, ResourceSerializer, StrictSerializer
from niagara.validation_messages import wording
from queues.api.serializers import EmbeddedLocationSerializer
from queues.models import Location

from ..models import CURRENT_STATUS, METADATA, TRIGGERS, WorkFlow, WorkOrder, WorkOrderType
from ..services import WorkFlowFields
from ..workflows import APPLIES_TO, STEPS

WORKFLOW_FIELDS = [
    "work_flow_id",
    "label",
    "slug",
    "created",
    "updated",
    "schema_version",
    "workflow_version",
    "applies_to",
    "triggered_by",
    "starts_at",
    "steps",
    "metadata",
]


class WorkFlowSerializer(ResourceSerializer):
    work_flow_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    slug = serializers.CharField(read_only=True)
    schema_version = serializers.ChoiceField(choices=["1.0"])
    workflow_version = serializers.IntegerField(read_only=True)
    applies_to = serializers.ChoiceField(choices=APPLIES_TO)
    triggered_by = DocumentField(TRIGGERS, required=False)
    starts_at = StrictCharField(max_length=100)
    steps = DocumentField(STEPS)
    metadata = DocumentField(METADATA, required=False)
    _links = HalLinksField(
        {
            "self": "work-flows/{obj.public_id}",
            "nter:work-flow-contexts": "work-flows/{obj.public_id}/contexts",
            "nter:boms": "work-flows/{obj.public_id}/boms",
        }
    )

    class Meta:
        model = WorkFlow
        fields = [*WORKFLOW_FIELDS, "_links"]

    def validate(self, attrs):
        """Check the graph rules here too, so inline definitions report them at their path."""
        draft = WorkFlow(**{k: v for k, v in attrs.items() if k in {"steps", "starts_at"}})
        try:
            draft.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {
                    field: [ErrorDetail(str(e.message), code=e.code) for e in errors]
                    for field, errors in exc.error_dict.items()
                }
            ) from exc
        return attrs


class CycleWorkFlowSerializer(ReadSerializer):
    """A cycle's workflow as the seed embeds it: the version the cycle runs on."""

    entity_type = serializers.SerializerMethodField()
    entity_id = serializers.CharField(source="work_flow.public_id")
    work_flow_id = serializers.CharField(source="work_flow.public_id")
    label = serializers.CharField(source="work_flow.label")
    slug = serializers.CharField(source="work_flow.slug")
    created = DateTimeField(source="work_flow.created")
    updated = DateTimeField(source="work_flow.updated")
    schema_version = serializers.CharField(source="work_flow.schema_version")
    workflow_version = serializers.IntegerField(source="work_flow_version.version")
    applies_to = serializers.CharField(source="work_flow.applies_to")
    triggered_by = serializers.ListField(source="work_flow.triggered_by")
    starts_at = serializers.CharField(source="work_flow_version.starts_at")
    steps = serializers.DictField(source="work_flow_version.steps")
    metadata = serializers.DictField(source="work_flow.metadata")

    def get_entity_type(self, cycle) -> str:
        return "WKF"


# Keys of an embedded workflow a client may send back; they never define anything.
READ_ONLY_WORKFLOW_KEYS = {
    "entity_type",
    "entity_id",
    "work_flow_id",
    "slug",
    "created",
    "updated",
    "workflow_version",
}


class CycleWorkFlowField(serializers.Field):
    """Written as ``{"work_flow_id": …}`` (an existing workflow) or as an inline definition
    (which creates the workflow); answered as the version the cycle runs on."""

    json_type = "object"
    default_error_messages = {"invalid_type": wording("type", {"type": "object"})}

    @cached_property
    def fields(self):
        """The fields of an inline definition (the validation layer reads their rules)."""
        return WorkFlowSerializer().fields

    @cached_property
    def version_serializer(self):
        """Renders the version a line runs; made once per field, not once per row."""
        serializer = CycleWorkFlowSerializer()
        serializer.bind(field_name=self.field_name, parent=self)
        return serializer

    def get_attribute(self, instance):
        return instance

    def to_representation(self, line):
        return self.version_serializer.to_representation(line)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid_type")
        key = "work_flow_id" if "work_flow_id" in data else "entity_id"
        # A definition sent back as fetched carries its read-only keys, whatever their values:
        # only a string id next to no steps, or a string id that exists, makes a reference.
        if key in data and (isinstance(data[key], str) or "steps" not in data):
            public_id = StrictRegexField(ID_PATTERN).run_validation(data[key])
            found = WorkFlow.objects.filter(public_id=public_id).first()
            if found is not None:
                return found
            if "steps" not in data:
                raise serializers.ValidationError(
                    {key: [ErrorDetail(f'no WKF with id "{public_id}"', code="exists")]}
                )
        definition = WorkFlowSerializer(
            data={k: v for k, v in data.items() if k not in READ_ONLY_WORKFLOW_KEYS},
            context=self.context,
        )
        if not definition.is_valid():
            raise serializers.ValidationError(definition.errors)
        return WorkFlowFields(**definition.validated_data)


class WorkOrderLineSerializer(StrictSerializer):
    """A line of the work order (the API calls it a cycle): units needed through a workflow."""

    needed = StrictIntegerField(min_value=1)
    work_flow = CycleWorkFlowField()
    pending = serializers.IntegerField(read_only=True)
    in_progress = serializers.IntegerField(read_only=True)
    verifying = serializers.IntegerField(read_only=True)
    complete = serializers.IntegerField(read_only=True)
    blocked = serializers.IntegerField(read_only=True)
    cancelled = serializers.IntegerField(read_only=True)


WORK_ORDER_FIELDS = [
    "work_order_id",
    "label",
    "created",
    "updated",
    "description",
    "work_order_type",
    "begin_date",
    "due_date",
    "start_date",
    "end_date",
    "project",
    "location",
    "current_status",
    "cycles",
    "input_filter",
]


class EmbeddedWorkOrderSerializer(ResourceSerializer):
    """A work order as embedded in its batches; as a resource it adds ``_links``."""

    work_order_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    description = OptionalTextField()
    work_order_type = serializers.ChoiceField(choices=WorkOrderType.choices, required=False)
    begin_date = StrictDateTimeField(required=False, allow_null=True)
    due_date = StrictDateTimeField(required=False, allow_null=True)
    start_date = DateTimeField(read_only=True, allow_null=True)
    end_date = DateTimeField(read_only=True, allow_null=True)
    current_status = DocumentField(CURRENT_STATUS, required=False, allow_null=True)
    project = EmbeddedReferenceField(
        queryset=Project.objects.all(), id_name="project_id", embedded=EmbeddedProjectSerializer
    )
    location = EmbeddedReferenceField(
        queryset=Location.objects.all(),
        id_name="location_id",
        embedded=EmbeddedLocationSerializer,
        required=False,
        allow_null=True,
    )
    cycles = WorkOrderLineSerializer(many=True, required=False, source="lines")
    input_filter = DocumentField(INPUT_FILTER, required=False)

    class Meta:
        model = WorkOrder
        fields = WORK_ORDER_FIELDS


# The docs' single objects of a work order, each a one-item array.
WORK_ORDER_EMBEDDED = {
    "nter:work-order-project": ("project", EmbeddedProjectSerializer),
    "nter:work-order-location": ("location", EmbeddedLocationSerializer),
    "nter:work-order-program": ("project.program", EmbeddedProgramSerializer),
    "nter:work-order-customer": ("project.program.customer", EmbeddedCustomerSerializer),
}


class WorkOrderSerializer(EmbeddedWorkOrderSerializer):
    labels = LabelsField()
    note_count = NoteCountSerializer()
    _embedded = EmbeddedEntitiesField(WORK_ORDER_EMBEDDED)
    _links = HalLinksField(
        {
            "self": "work-orders/{obj.public_id}",
            "nter:work-order-project": "projects/{obj.project.public_id}",
            "nter:work-order-batches": "work-orders/{obj.public_id}/batches",
            "nter:work-order-queues": "work-orders/{obj.public_id}/queues",
            "nter:work-order-notes": "work-orders/{obj.public_id}/notes",
            "nter:work-order-contexts": "work-orders/{obj.public_id}/contexts",
            "nter:work-order-cycles": "work-orders/{obj.public_id}/cycles",
        }
    )

    class Meta:
        model = WorkOrder
        fields = [*WORK_ORDER_FIELDS, "labels", "note_count", "_embedded", "_links"]


class CycleWorkFlowFieldExtension(OpenApiSerializerFieldExtension):
    """Requests: a reference or an inline definition; responses: the version run on."""

    target_class = CycleWorkFlowField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            definition = auto_schema.resolve_serializer(WorkFlowSerializer, direction).ref
            references = [
                ignoring_other_keys(
                    {
                        "type": "object",
                        "required": [key],
                        "properties": {key: {"type": "string", "pattern": ID_PATTERN}},
                    }
                )
                for key in ("work_flow_id", "entity_id")
            ]
            # anyOf: an object naming a workflow is a reference, whatever else it carries (a
            # fetched workflow sent back is one).
            return {"anyOf": [*references, definition]}
        return auto_schema.resolve_serializer(CycleWorkFlowSerializer, direction).ref
