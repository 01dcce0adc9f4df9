from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niagara.api import rels
from niagara.api.fields import (
    ID_PATTERN,
    DateTimeField,
    EmbeddedReferenceField,
    HalLinksField,
    OptionalTextField,
    StrictBooleanField,
    StrictCharField,
    StrictRegexField,
)
from niagara.api.serializers import ResourceSerializer, StrictSerializer
from units.api.serializers import EmbeddedPartSerializer
from units.models import Part
from workorders.workflows import STEP_KEY_PATTERN, step_type

from ..models import Context, RunState
from ..steps import INTERACTIVE_TYPES

FAILED_STEP = {
    "type": "object",
    "properties": {"step": {"type": "string"}, "failed_count": {"type": "integer"}},
}
LAST_STEP = {
    "type": "object",
    "description": "A step the run went through: when, how long (ms), how it ended and who "
    "closed it (interactive steps).",
    "properties": {
        "step_name": {"type": "string"},
        "label": {"type": "string"},
        "step_type": {"type": "string"},
        "type": {"type": "string", "enum": ["close", "fail"]},
        "started_at": {"type": "string", "format": "date-time"},
        "ended_at": {"type": "string", "format": "date-time"},
        "time_to_run": {"type": "integer"},
        "did_error": {"type": "boolean"},
        "did_timeout": {"type": "boolean"},
        "closed_by": {"type": ["string", "null"]},
        "message": {"type": "string"},
    },
}
ENTITY_REF = {
    "type": "object",
    "properties": {
        "entity_type": {"type": "string"},
        "entity_id": {"type": "string"},
        "label": {"type": "string"},
    },
}

# A run's workflow: the work flow and the version the run follows.
WORKFLOW_REFERENCE = {
    "type": "object",
    "properties": {
        "work_flow_id": {"type": "string"},
        "label": {"type": "string"},
        "workflow_version": {"type": "integer"},
    },
}

rels.register(
    "nter:context-resource",
    "In a run's (context's) representation, when it is on a resource: that resource.",
    "/api/resources/{resource_id}",
)
rels.register(
    "nter:context-cycle",
    "In a run's (context's) representation, when it runs for a cycle: that cycle (restart, "
    "cancel, its other runs).",
    "/api/cycles/{cycle_id}",
)


class ContextSerializer(ResourceSerializer):
    """A run, in the docs' shape; ``steps`` adds the definitions of the current steps (what a
    station shows: instructions, fields, checklist)."""

    context_id = serializers.CharField(source="public_id", read_only=True)
    label = serializers.CharField(read_only=True)
    workflow = serializers.SerializerMethodField()
    work_flow = serializers.SerializerMethodField(
        help_text="The same as `workflow`: the docs' context schema names it `work_flow`"
    )
    status = serializers.ChoiceField(
        source="state", choices=RunState.choices, read_only=True, help_text="Where the run is"
    )
    current_steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    interactive_steps = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    failed_steps = serializers.SerializerMethodField()
    last_steps = serializers.SerializerMethodField()
    started_at = DateTimeField(read_only=True)
    ended_at = DateTimeField(read_only=True, allow_null=True)
    time_to_run = serializers.SerializerMethodField()
    active = serializers.BooleanField(read_only=True)
    waiting_for_user = serializers.SerializerMethodField()
    data = serializers.SerializerMethodField()
    entity = serializers.SerializerMethodField()
    using = serializers.SerializerMethodField()
    resource_id = serializers.CharField(
        source="resource.public_id",
        read_only=True,
        allow_null=True,
        help_text="The resource the run is on (`nter:context-resource`), if any",
    )
    _links = HalLinksField(
        {
            "self": "contexts/{obj.public_id}",
            "nter:context-work-flow": "work-flows/{obj.work_flow_version.work_flow.public_id}",
            "nter:context-unit": "units/{obj.unit.public_id}",
            "nter:context-resource": "resources/{obj.resource.public_id}",
        }
    )

    class Meta:
        model = Context
        fields = [
            "context_id",
            "label",
            "created",
            "updated",
            "workflow",
            "work_flow",
            "status",
            "current_steps",
            "interactive_steps",
            "steps",
            "failed_steps",
            "last_steps",
            "started_at",
            "ended_at",
            "time_to_run",
            "active",
            "waiting_for_user",
            "data",
            "entity",
            "using",
            "resource_id",
            "_links",
        ]

    def to_representation(self, context):
        data = super().to_representation(context)
        if context.cycle_id is not None:
            # The cycle the run is for (restart, cancel, its other runs).
            href = data["_links"]["self"]["href"].rsplit("contexts/", 1)[0]
            cycle = f"{href}cycles/{context.cycle.public_id}"
            data["_links"]["nter:context-cycle"] = {"href": cycle}
        return data

    @extend_schema_field(WORKFLOW_REFERENCE)
    def get_workflow(self, context) -> dict:
        version = context.work_flow_version
        return {
            "work_flow_id": version.work_flow.public_id,
            "label": version.work_flow.label,
            "workflow_version": version.version,
        }

    @extend_schema_field(WORKFLOW_REFERENCE)
    def get_work_flow(self, context) -> dict:
        return self.get_workflow(context)

    def get_interactive_steps(self, context) -> list[str]:
        steps = context.work_flow_version.steps
        return [key for key in context.current_steps if step_type(steps[key]) in INTERACTIVE_TYPES]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
    def get_steps(self, context) -> dict:
        steps = context.work_flow_version.steps
        return {key: steps[key] for key in context.current_steps}

    @extend_schema_field({"type": "array", "items": FAILED_STEP})
    def get_failed_steps(self, context) -> list:
        return context.failed_steps

    @extend_schema_field({"type": "array", "items": LAST_STEP})
    def get_last_steps(self, context) -> list:
        return context.last_steps

    def get_time_to_run(self, context) -> int | None:
        if context.ended_at is None:
            return None
        return round((context.ended_at - context.started_at).total_seconds() * 1000)

    def get_waiting_for_user(self, context) -> bool:
        steps = context.work_flow_version.steps
        return any(step_type(steps[key]) == "user" for key in context.current_steps)

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_data(self, context) -> dict:
        return context.data

    @extend_schema_field(ENTITY_REF)
    def get_entity(self, context) -> dict:
        unit = context.unit
        return {
            "entity_type": "UNIT",
            "entity_id": unit.public_id,
            "label": unit.label,
            "serial_number": unit.serial_number,
        }

    @extend_schema_field({**ENTITY_REF, "type": ["object", "null"]})
    def get_using(self, context) -> dict | None:
        if context.batch is None:
            return None
        batch = context.batch
        return {"entity_type": "BAT", "entity_id": batch.public_id, "label": batch.label}


class CloseStepSerializer(StrictSerializer):
    """``close_step``: which step, how (``close`` or ``fail``) and what the step asks for."""

    step = StrictRegexField(STEP_KEY_PATTERN, help_text="The step to close (as in the URL)")
    type = serializers.ChoiceField(choices=["close", "fail"], default="close")
    fields = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="manual-data-entry values"
    )
    items = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="task-list answers"
    )
    attachment_id = StrictRegexField(ID_PATTERN, required=False)
    options = serializers.DictField(required=False, help_text="A machine step's result")


class StepCompletionSerializer(StrictSerializer):
    close_step = CloseStepSerializer()


class FailStepSerializer(StrictSerializer):
    """``application/fail-step+json``: fail the step."""

    type = serializers.ChoiceField(choices=["fail"])
    step = StrictRegexField(STEP_KEY_PATTERN)


class StartContextSerializer(StrictSerializer):
    entity_type = serializers.ChoiceField(choices=["UNIT"], help_text="What the run acts on")
    entity_id = StrictRegexField(ID_PATTERN)
    resource_id = StrictRegexField(
        ID_PATTERN,
        required=False,
        help_text="The resource (line, station, port's resource) the run is on",
    )


class CancelCycleSerializer(StrictSerializer):
    """``POST /cycles/{id}/cancel``: optionally, why."""

    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Why the cycle is cancelled: noted on its unit (or on its work order before a "
        "device was scanned in)",
    )


class TakeCycleSerializer(StrictSerializer):
    """A device scanned in for the batch's next cycle."""

    raw_serial_number = StrictCharField(max_length=200, help_text="The serial number as scanned")
    part = EmbeddedReferenceField(
        queryset=Part.objects.all(),
        id_name="part_id",
        embedded=EmbeddedPartSerializer,
        required=False,
        help_text="The device's part (needed when the customer has more than one)",
    )
    label = OptionalTextField(max_length=200, help_text="The unit's label (the serial if unset)")
    values = serializers.DictField(
        child=StrictCharField(max_length=1000, allow_blank=True),
        required=False,
        help_text="Values of the custom fields of the part or the work order, by key",
    )
    rework = StrictBooleanField(
        required=False,
        default=False,
        help_text="The device was produced already (a COMPLETE cycle) and comes back for rework "
        "or as a return: run it again as a new cycle of the same unit, linked to the one that "
        "produced it (`rework_of`). Without it such a serial answers 409.",
    )
