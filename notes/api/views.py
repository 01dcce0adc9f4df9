from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from niagara.access import access_for
from niagara.api.viewsets import (
    ChildListViewSet,
    CreateModelMixin,
    DestroyModelMixin,
    NiagaraViewSet,
    get_or_404,
)
from units.api.views import UnitViewSet
from units.models import Unit
from workorders.api.views import WorkOrderViewSet
from workorders.models import WorkOrder

from .. import services
from ..models import Note
from ..selectors import notes_for_display
from .serializers import NoteChangeSerializer, NoteSerializer


class ReadableNotesMixin:
    collection = "notes"
    serializer_class = NoteSerializer
    queryset = notes_for_display()


@extend_schema_view(
    retrieve=extend_schema(summary="Fetch note", operation_id="fetchNoteById"),
    partial_update=extend_schema(
        summary="Close or reopen an issue",
        operation_id="updateNote",
        request=NoteChangeSerializer,
        description="Marks the issue the note raises as dealt with (`closed: true`) or open "
        "again. Needs `note:update` on what the note is about.",
    ),
    destroy=extend_schema(
        summary="Delete note",
        operation_id="deleteNote",
        description="Deletes the note and the replies in its thread.",
    ),
)
class NoteViewSet(ReadableNotesMixin, mixins.RetrieveModelMixin, DestroyModelMixin, NiagaraViewSet):
    lookup_url_kwarg = "note_id"
    http_method_names = ["get", "patch", "delete", "head", "options"]
    # PATCH says one thing, whether the issue is closed: that key is required.
    full_body_actions = frozenset({"partial_update"})

    def check_object_permissions(self, request, obj):
        # Writes need ``note:update``/``note:delete`` where the note's subject is.
        if request.method in ("PATCH", "DELETE"):
            verb = "delete" if request.method == "DELETE" else "update"
            if not access_for(request).allows(f"note:{verb}", obj.subject):
                self.permission_denied(request)

    def partial_update(self, request, *args, **kwargs):
        note = self.get_object()
        body = NoteChangeSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        self.check_if_match(note)
        services.issues_close(
            Note.objects.filter(pk=note.pk),
            actor=request.user,
            closed=body.validated_data["closed"],
        )
        return Response(self.get_serializer(self.reread(note)).data)

    def perform_destroy(self, instance):
        services.note_delete(instance, actor=self.request.user)


class SubjectNotesViewSet(ReadableNotesMixin, CreateModelMixin, ChildListViewSet):
    """The notes about one unit or work order; writing one needs ``note:create`` there."""

    create_status = status.HTTP_201_CREATED

    def children_of(self, parent, queryset):
        return queryset.filter(**{self.parent_field: parent}).order_by("id")

    def check_create_permissions(self, validated_data):
        if not access_for(self.request).allows("note:create", self.parent):
            self.permission_denied(self.request)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        thread_id = data.pop("thread_id", None)
        thread = None
        if thread_id is not None:
            thread = Note.objects.filter(public_id=thread_id).first()
            if thread is None:
                message = f'no NOTE with id "{thread_id}"'
                raise ValidationError({"thread_id": ValidationError(message, code="exists")})
        serializer.instance = services.note_create(
            actor=self.request.user,
            subject=self.parent,
            fields=services.NoteFields(thread=thread, **data),
        )


@extend_schema_view(
    list=extend_schema(summary="Fetch unit notes", operation_id="fetchNoteForUnit"),
    create=extend_schema(summary="Create unit note", operation_id="createNoteForUnit"),
)
class UnitNotesViewSet(SubjectNotesViewSet):
    parent_queryset = Unit.objects.all()
    parent_kwarg = "unit_id"
    parent_field = "unit"

    @property
    def parent(self):
        if not hasattr(self, "_parent"):
            units = access_for(self.request).visible(Unit.objects.all())
            self._parent = get_or_404(units, self.kwargs[self.parent_kwarg])
        return self._parent


@extend_schema_view(
    list=extend_schema(summary="Fetch work order notes", operation_id="fetchNotesForWorkOrder"),
    create=extend_schema(summary="Create work order note", operation_id="createNoteForWorkOrder"),
)
class WorkOrderNotesViewSet(SubjectNotesViewSet):
    parent_queryset = WorkOrder.objects.all()
    parent_kwarg = "work_order_id"
    parent_field = "work_order"


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
UnitViewSet.add_include("notes", UnitNotesViewSet)
WorkOrderViewSet.add_include("notes", WorkOrderNotesViewSet)
