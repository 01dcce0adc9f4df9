from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from niagara.access import access_for, may_view, visible
from niagara.api.exceptions import NotFound, reference_error
from niagara.api.filters import bracketed_filterset
from niagara.api.viewsets import ChildListViewSet, get_or_404

from .. import services
from ..models import SYSTEM_RELATIONS, Direction, Relation, RelationType
from ..registry import EntityKind, entities
from ..selectors import RELATION_COLUMNS, content_type_ids, parse_relation_id, relations_of
from .serializers import RelationCreateSerializer, RelationSerializer, learn_page_ends


class EntityPermission(BasePermission):
    """What hangs off an entity is read by whoever may read the entity (any other is not
    found); relating it to something needs ``<kind>:attach`` on it, removing a relation
    ``<kind>:detach`` (and the thing related must be readable)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS") or view.is_schema_view:
            return True
        verb = "attach" if request.method == "POST" else "detach"
        return access_for(request).allows(f"{view.kind.kind}:{verb}", view.parent)


class EntityScopedViewSet(ChildListViewSet):
    """A collection that hangs off one registered entity: ``/{collection}/{id}/…``.

    The URL configuration mounts it once per registered kind with ``as_view(kind=…)``; the
    entity is the parent of the children (``children_of``) as for any child collection.
    """

    kind: EntityKind | None = None
    permission_classes = [EntityPermission]

    @property
    def parent(self):
        if not hasattr(self, "_parent"):
            rows = self.kind.model._default_manager.all()
            if not access_for(self.request).may_read_history(self.kind.model()):
                rows = rows.none()  # the shop's people and roles: their administrators' alone
            self._parent = get_or_404(visible(self.request, rows), self.kwargs[self.kind.id_kwarg])
        return self._parent

    @property
    def is_schema_view(self) -> bool:
        return getattr(self, "swagger_fake_view", False) or self.kind is None


@extend_schema_field(OpenApiTypes.STR)
class _EntityCodeChoices(Sequence):
    """The registered type codes, read when used (apps register their entities after this
    module is imported); a sequence, not a callable, so the schema lists them as an enum."""

    def _choices(self):
        return [(code, code) for code in entities.codes]

    def __getitem__(self, index):
        return self._choices()[index]

    def __len__(self):
        return len(self._choices())


class EntityTypeFilter(filters.ChoiceFilter):
    """Filter relations on the type code of the other entity."""

    def __init__(self, **kwargs):
        super().__init__(choices=_EntityCodeChoices(), **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        content_type = ContentType.objects.get_for_model(entities.get(value).model)
        return queryset.filter(other_type_id=content_type.pk)


RelationFilterSet = bracketed_filterset(
    "RelationFilterSet",
    entity_type=EntityTypeFilter(help_text="Type code of the related entity, e.g. USER"),
    relation=filters.ChoiceFilter(field_name="relation", choices=RelationType.choices),
    direction=filters.ChoiceFilter(field_name="direction", choices=Direction.choices),
)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch relations",
        description="The entity's relations to what the caller may read. The relations of "
        "people and roles (`/users/{id}/relations`, `/roles/{id}/relations`) are for "
        "administrators (`tenant:settings`) alone: anyone else is answered 404.",
    ),
    create=extend_schema(
        summary="Create relation",
        description="Relates this entity (the subject) to another one: OUTWARD here, INWARD there.",
        request=RelationCreateSerializer,
        responses={201: RelationSerializer},
    ),
    retrieve=extend_schema(summary="Fetch relation"),
    destroy=extend_schema(
        summary="Delete relation",
        description="Removes the relation from both ends and answers it.",
        responses={200: RelationSerializer},
    ),
)
class RelationViewSet(mixins.RetrieveModelMixin, EntityScopedViewSet):
    collection = "relations"
    serializer_class = RelationSerializer
    filterset_class = RelationFilterSet
    lookup_url_kwarg = "relation_id"
    conflict_methods = frozenset({"POST"})
    operation_ids = {
        "list": "fetchRelationsFor{kind}",
        "create": "createRelationFor{kind}",
        "retrieve": "fetchRelationFor{kind}",
        "destroy": "deleteRelationFor{kind}",
    }

    queryset = Relation.objects.all()

    def children_of(self, parent, queryset):
        # A relation to what the caller may not read is not listed (nor fetched): the access
        # layer's rule for relations, both ends readable (this end is the readable parent).
        return visible(self.request, relations_of(parent)).values(*RELATION_COLUMNS)

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args and not self.is_schema_view:
            # The other ends a page links to are asked about once per kind, not once a row.
            learn_page_ends(self.request, args[0])
        return super().get_serializer(*args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not self.is_schema_view:
            context["type_codes"] = content_type_ids()
            context["owner_path"] = self.kind.path(self.parent.public_id)
        return context

    def get_object(self):
        parsed = parse_relation_id(self.kwargs["relation_id"])
        found = None
        if parsed is not None:
            direction, pk = parsed
            found = self.get_queryset().filter(pk=pk, direction=direction).first()
        if found is None:
            raise NotFound(f'A Resource with the id "{self.kwargs["relation_id"]}" was not found')
        if self.request.method == "DELETE":
            self.check_if_match(found)
        return found

    def create(self, request, *args, **kwargs):
        body = RelationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reference = body.validated_data["entity"]
        kind = entities.get(reference["entity_type"])
        other = kind.model._default_manager.filter(public_id=reference["entity_id"]).first()
        if other is None or not may_view(request, other):
            raise reference_error(
                ("entity", "entity_id"),
                f'no {kind.code} with id "{reference["entity_id"]}"',
                entity_type=kind.code,
            )
        relation = body.validated_data["relation"]
        if relation in SYSTEM_RELATIONS:
            link = services.relation_record_creator(entity=self.parent, creator=other)
        else:
            link = services.relation_create(subject=self.parent, obj=other, relation=relation)
        output = self.get_serializer(self.get_queryset().get(pk=link.pk))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        row = self.get_object()
        body = self.get_serializer(row).data
        services.relation_delete(relation=Relation.objects.get(pk=row["id"]))
        return Response(body)
