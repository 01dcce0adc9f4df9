from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from relations.api.views import EntityScopedViewSet

from ..models import Diff
from .serializers import DiffSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Fetch change history",
        description="One item per changed property per change, newest first. The history of "
        "people and roles (`/users/{id}/diff`, `/roles/{id}/diff`) is for administrators "
        "(`tenant:settings`) alone: anyone else is answered 404.",
    ),
    retrieve=extend_schema(
        summary="Fetch one change",
        description="One changed property of one change, as the entity's history lists it "
        "(its `_links.self`).",
    ),
)
class DiffViewSet(mixins.RetrieveModelMixin, EntityScopedViewSet):
    collection = "diffs"
    serializer_class = DiffSerializer
    ordering = ("-id",)
    lookup_field = "public_id"
    lookup_url_kwarg = "diff_id"
    operation_ids = {"list": "fetchDiffFor{kind}", "retrieve": "fetchOneDiffFor{kind}"}

    queryset = Diff.objects.select_related("by_user", "on_behalf_of")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not self.is_schema_view:
            context["owner_path"] = self.kind.path(self.parent.public_id)
        return context

    def children_of(self, parent, queryset):
        return queryset.filter(
            entity_type=ContentType.objects.get_for_model(parent), entity_id=parent.pk
        )
