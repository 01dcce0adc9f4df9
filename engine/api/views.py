from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins
from rest_framework.response import Response

from batches.api.serializers import CycleSerializer
from batches.api.views import CycleViewSet, WorkOrderCyclesViewSet
from batches.models import Batch, Cycle
from niagara.access import access_for, known_readable
from niagara.api.filters import bracketed_filterset
from niagara.api.parsers import LimitedJSONParser, json_parser_for
from niagara.api.viewsets import ChildListViewSet, NiagaraViewSet, get_or_404
from niagara.errors import NotFound
from queues.models import Resource
from units.models import Unit
from workorders.api.views import WorkFlowViewSet, WorkOrderViewSet
from workorders.models import WorkFlow, WorkOrder
from workorders.services import current_version
from workorders.workflows import STEP_KEY_PATTERN

from .. import services
from ..models import RunState
from ..selectors import contexts_for_display
from .serializers import (
    CancelCycleSerializer,
    ContextSerializer,
    FailStepSerializer,
    StartContextSerializer,
    StepCompletionSerializer,
    TakeCycleSerializer,
)

FailStepParser = json_parser_for("application/fail-step+json")


class ContextListMixin:
    collection = "contexts"
    serializer_class = ContextSerializer
    queryset = contexts_for_display()


@extend_schema_view(
    retrieve=extend_schema(summary="Fetch context", operation_id="fetchContextById"),
    partial_update=extend_schema(
        summary="Complete step",
        operation_id="completeStep",
        request={
            # Either body as plain JSON too: generated clients send one media type per call.
            "application/json": PolymorphicProxySerializer(
                component_name="StepClose",
                serializers=[StepCompletionSerializer, FailStepSerializer],
                resource_type_field_name=None,
            ),
            "application/fail-step+json": FailStepSerializer,
        },
        responses={200: ContextSerializer},
        parameters=[
            OpenApiParameter(
                "step_slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=STEP_KEY_PATTERN,
                description="The step to close: its key in the work flow",
            )
        ],
        description="Closes (or fails) the current step `step_slug`: its values are checked "
        "as the step says (manual-data-entry fields, every task-list item evaluated, a QC "
        "step closed by someone other than who closed the step before), then the run goes on "
        "through automatic steps to the next step that waits. A step that is not current is a "
        "409; nothing changes on any problem.",
    ),
)
class ContextViewSet(ContextListMixin, mixins.RetrieveModelMixin, NiagaraViewSet):
    lookup_url_kwarg = "context_id"
    http_method_names = ["get", "patch", "head", "options"]
    # PATCH closes a step: its body is whole, not a partial context.
    full_body_actions = frozenset({"partial_update"})
    parser_classes = [LimitedJSONParser, FailStepParser]
    action_permissions = {"partial_update": "context:step"}
    conflict_methods = frozenset({"PATCH"})  # a step that is not current, a run that ended

    def lock_for_write(self, lookup):
        pass  # ``services.step_close`` takes the locks, in the engine's order

    def get_object(self):
        run = super().get_object()
        # Who reads a run reads its device (through the run's batch, or the unit itself for
        # a run outside batches): the run's links to it need no second look.
        known_readable(request=self.request, instance=run.unit)
        return run

    def check_object_permissions(self, request, obj):
        if request.method == "PATCH":
            target = obj.batch if obj.batch_id is not None else obj.unit
            if not access_for(request).allows("context:step", target):
                self.permission_denied(request)

    def partial_update(self, request, *args, **kwargs):
        context = self.get_object()
        step = self.kwargs["step_slug"]
        if _fails_the_step(request):
            body = FailStepSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            close = dict(body.validated_data)
        else:
            body = StepCompletionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            close = dict(body.validated_data["close_step"])
        if step not in context.work_flow_version.steps:
            raise NotFound(f'The work flow of this context has no step "{step}"')
        if close["step"] != step:
            raise ValidationError(
                {"close_step.step": ValidationError(f'should be "{step}"', code="const")}
            )
        self.check_if_match(context)
        # The service's run is answered as it stored it (what renders it is read with it).
        run = services.step_close(context, step, actor=request.user, close=close)
        return Response(self.get_serializer(run).data)


def _fails_the_step(request) -> bool:
    """A fail-step body: sent as ``application/fail-step+json``, or as plain JSON with the fail
    body's ``type`` and no ``close_step``."""
    if request.content_type.startswith(FailStepParser.media_type):
        return True
    data = request.data
    return isinstance(data, dict) and "type" in data and "close_step" not in data


ContextFilterSet = bracketed_filterset(
    "ContextFilterSet",
    status=filters.ChoiceFilter(
        field_name="state", choices=RunState.choices, help_text="Runs in this state"
    ),
)


RunFilterSet = bracketed_filterset(
    "RunFilterSet",
    status=filters.ChoiceFilter(
        field_name="state", choices=RunState.choices, help_text="Runs in this state"
    ),
    work_order=filters.CharFilter(
        field_name="cycle__work_order__public_id", help_text="work_order_id"
    ),
    work_flow=filters.CharFilter(
        field_name="work_flow_version__work_flow__public_id", help_text="workflow_id"
    ),
    unit=filters.CharFilter(field_name="unit__public_id", help_text="unit_id"),
    batch=filters.CharFilter(field_name="batch__public_id", help_text="batch_id"),
)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch all contexts",
        operation_id="fetchAllContexts",
        description="The runs (contexts) the caller may read, oldest first: a technician's "
        "are those of their batches. `filter[status]`, `filter[work_order]`, "
        "`filter[work_flow]`, `filter[unit]` and `filter[batch]` narrow them.",
    )
)
class ContextsViewSet(ContextListMixin, mixins.ListModelMixin, NiagaraViewSet):
    filterset_class = RunFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="Fetch work order contexts", operation_id="fetchContextsForWorkOrder"
    )
)
class WorkOrderContextsViewSet(ContextListMixin, ChildListViewSet):
    parent_queryset = WorkOrder.objects.all()
    parent_kwarg = "work_order_id"
    filterset_class = ContextFilterSet

    def children_of(self, parent, queryset):
        return queryset.filter(cycle__work_order=parent)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch contexts for resource",
        operation_id="fetchContextsForResource",
        description="The runs on the resource (started on it, or placed there by a "
        "`set-entity-location` step), filtered like every list of runs.",
    )
)
class ResourceContextsViewSet(ContextListMixin, ChildListViewSet):
    parent_queryset = Resource.objects.all()
    parent_kwarg = "resource_id"
    parent_field = "resource"
    filterset_class = ContextFilterSet


@extend_schema_view(
    list=extend_schema(summary="Fetch cycle contexts", operation_id="fetchContextsForCycle")
)
class CycleContextsViewSet(ContextListMixin, ChildListViewSet):
    parent_queryset = Cycle.objects.all()
    parent_kwarg = "cycle_id"
    parent_field = "cycle"

    @property
    def parent(self):
        if not hasattr(self, "_parent"):
            cycles = access_for(self.request).visible(Cycle.objects.all())
            self._parent = get_or_404(cycles, self.kwargs[self.parent_kwarg])
        return self._parent


@extend_schema_view(
    list=extend_schema(
        summary="Fetch work flow contexts",
        operation_id="fetchContextsForWorkflow",
        description="The active runs of the work flow (any version).",
    ),
    create=extend_schema(
        summary="Start work flow",
        operation_id="startWorkflow",
        request=StartContextSerializer,
        responses={200: ContextSerializer},
        description="Starts a run of the work flow's current version on a unit. Needs "
        "`work-flow:read` and `context:create`. A work flow with steps the engine does not run "
        "(`wait`, `load`, parallel branches) is refused with a 400 and nothing starts.",
    ),
)
class WorkFlowContextsViewSet(ContextListMixin, ChildListViewSet):
    parent_queryset = WorkFlow.objects.all()
    parent_kwarg = "workflow_id"
    http_method_names = ["get", "post", "head", "options"]
    idempotent_actions = frozenset({"create"})

    def children_of(self, parent, queryset):
        return queryset.filter(work_flow_version__work_flow=parent, state=RunState.RUNNING)

    def create(self, request, *args, **kwargs):
        body = StartContextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = access_for(request)
        units = access.visible(Unit.objects.select_related("part__customer"))
        unit = units.filter(public_id=body.validated_data["entity_id"]).first()
        if unit is None:
            message = f'no UNIT with id "{body.validated_data["entity_id"]}"'
            raise ValidationError({"entity_id": ValidationError(message, code="exists")})
        if not access.allows("context:create", unit):
            self.permission_denied(request)
        resource = None
        if "resource_id" in body.validated_data:
            resources = access.visible(Resource.objects.all())
            resource = resources.filter(public_id=body.validated_data["resource_id"]).first()
            if resource is None:
                message = f'no RES with id "{body.validated_data["resource_id"]}"'
                raise ValidationError({"resource_id": ValidationError(message, code="exists")})
        version = current_version(self.parent)
        context = services.context_start(
            actor=request.user, version=version, unit=unit, resource=resource
        )
        # Not ``reread``: this list holds running contexts, and a run may end as it starts.
        return Response(self.get_serializer(contexts_for_display().get(pk=context.pk)).data)


@extend_schema_view(
    create=extend_schema(
        summary="Take the next device",
        operation_id="takeNextCycle",
        request=TakeCycleSerializer,
        responses={
            200: ContextSerializer,
            409: OpenApiResponse(
                description="No pending cycle; or the device is in an unfinished cycle, or was "
                "produced already and `rework` is not set"
            ),
        },
        description="Scans a device into the batch's next pending cycle: the unit of that serial "
        "number is found or made for the work order's customer's part, its intake values "
        "checked by the part's and the work order's custom fields, and a run of the cycle's "
        "work-flow version starts on it, `using` the batch. Two technicians never get the same "
        "cycle. Answers the run.\n\nA serial must start with its part's `serial_prefix` (400 "
        "otherwise). A device in another unfinished cycle is a 409; so is a device that was "
        "produced already (a COMPLETE cycle), unless `rework` is true: it then runs again as a "
        "new cycle of the same unit whose `rework_of` names the cycle that produced it.",
    )
)
class BatchNextCycleViewSet(ContextListMixin, NiagaraViewSet):
    http_method_names = ["post", "options"]
    idempotent_actions = frozenset({"create"})
    entity_actions = frozenset({"create"})

    def create(self, request, *args, **kwargs):
        batches = access_for(request).visible(Batch.objects.select_related("work_order"))
        batch = get_or_404(batches, self.kwargs["batch_id"])
        body = TakeCycleSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        if not access_for(request).allows("context:create", batch):
            self.permission_denied(request)
        intake = services.Intake(**body.validated_data)
        cycle = services.cycle_take_next(batch, actor=request.user, intake=intake)
        return Response(self.get_serializer(services.current_context(cycle)).data)


class CycleActionViewSet(CycleViewSet):
    """``POST /cycles/{id}/restart`` and ``/cancel``: a blocked cycle's unit runs again (a
    new context), or a cycle that has not finished is cancelled."""

    http_method_names = ["post", "options"]
    idempotent_actions = frozenset({"restart", "cancel"})
    entity_actions = frozenset()
    action_permissions = {"restart": "context:step", "cancel": "context:step"}

    def get_object(self):
        cycle = super().get_object()
        if not access_for(self.request).allows("context:step", cycle.batch):
            self.permission_denied(self.request)
        return cycle

    @extend_schema(
        summary="Restart a blocked cycle",
        operation_id="restartCycle",
        request=None,
        responses={200: ContextSerializer},
    )
    def restart(self, request, *args, **kwargs):
        context = services.cycle_restart(self.get_object(), actor=request.user)
        return Response(
            ContextSerializer(
                contexts_for_display().get(pk=context.pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        summary="Cancel a cycle",
        operation_id="cancelCycle",
        description="Cancels a cycle that has not finished: its running context ends (later "
        "step closes answer 409), its unit takes its customer's CANCELLED status, and the "
        "optional `reason` is noted on the unit. A finished cycle is a 409.",
        request=CancelCycleSerializer,
        responses={200: CycleSerializer},
    )
    def cancel(self, request, *args, **kwargs):
        cycle = self.get_object()
        # No body is an empty object; anything sent (``[]`` included) is validated as sent.
        body = CancelCycleSerializer(data=request.data if request.data != {} else {})
        body.is_valid(raise_exception=True)
        services.cycle_cancel(
            cycle, actor=request.user, reason=body.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(self.reread(cycle)).data)


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
WorkOrderViewSet.add_include("contexts", WorkOrderContextsViewSet)
WorkFlowViewSet.add_include("contexts", WorkFlowContextsViewSet, "nter:work-flow-contexts")


@extend_schema_view(
    retrieve=extend_schema(
        summary="Fetch a work order cycle",
        operation_id="fetchWorkOrderCycleById",
        description="A cycle of the work order, in a batch the caller may read.",
    ),
    destroy=extend_schema(
        summary="Cancel a work order cycle",
        operation_id="cancelWorkOrderCycle",
        description="Cancels a cycle of the work order that has not finished, as "
        "`POST /cycles/{cycle_id}/cancel` does (its running context ends), and answers the "
        "cycle (200). A finished cycle is a 409; needs `context:step` on its batch.",
        request=None,
        responses={200: CycleSerializer},
    ),
)
class WorkOrderCycleViewSet(mixins.RetrieveModelMixin, WorkOrderCyclesViewSet):
    """One cycle under its work order (the docs' ``/work-orders/{id}/cycles/{cycle_id}``)."""

    lookup_url_kwarg = "cycle_id"
    http_method_names = ["get", "delete", "head", "options"]
    conditional = False  # cancelling is an action on the cycle, not a deletion of it

    def get_object(self):
        cycle = get_or_404(self.filter_queryset(self.get_queryset()), self.kwargs["cycle_id"])
        if self.request.method == "DELETE" and not access_for(self.request).allows(
            "context:step", cycle.batch
        ):
            self.permission_denied(self.request)
        return cycle

    def destroy(self, request, *args, **kwargs):
        cycle = services.cycle_cancel(self.get_object(), actor=request.user)
        fresh = self.filter_queryset(self.get_queryset()).get(pk=cycle.pk)
        return Response(self.get_serializer(fresh).data)
