from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema, extend_schema_view

from relations.api.views import EntityScopedViewSet

from ..models import Diff
from .serializers import DiffSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Fetch change history",
        description="One item per changed property per change, newest first. The history of "
        "people and roles (`/users/{id}/diff`, `/roles/{id}/diff`) is for administrators "
        "(`tenant:settings`) alone: anyone else is answered 404.",
    )
)
class DiffViewSet(EntityScopedViewSet):
    collection = "diffs"
    serializer_class = DiffSerializer
    ordering = ("-id",)
    operation_ids = {"list": "fetchDiffFor{kind}"}

    queryset = Diff.objects.select_related("by_user", "on_behalf_of")

    def children_of(self, parent, queryset):
        return queryset.filter(
            entity_type=ContentType.objects.get_for_model(parent), entity_id=parent.pk
        )
