from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from relations.api.views import EntityScopedViewSet

from ..models import Diff
from .serializers import DiffSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Fetch change history",
        description="One item per changed property per change, newest first.",
    )
)
class DiffViewSet(mixins.ListModelMixin, EntityScopedViewSet):
    collection = "diffs"
    serializer_class = DiffSerializer
    ordering = ("-id",)
    operation_ids = {"list": "fetchDiffFor{kind}"}

    def get_queryset(self):
        if self.is_schema_view:
            return Diff.objects.none()
        return Diff.objects.filter(
            entity_type=ContentType.objects.get_for_model(self.owner), entity_id=self.owner.pk
        ).select_related("by_user")
