from django.urls import path

from ..registry import entities
from .views import RelationViewSet


def urlpatterns() -> list:
    """Return the relation routes of every registered entity kind."""
    patterns = []
    for kind in entities:
        base = f"{kind.collection}/<nid:{kind.id_kwarg}>/relations"
        patterns += [
            path(
                base,
                RelationViewSet.as_view({"get": "list", "post": "create"}, kind=kind),
                name=f"{kind.kind}-relations",
            ),
            path(
                f"{base}/<nid:relation_id>",
                RelationViewSet.as_view({"get": "retrieve", "delete": "destroy"}, kind=kind),
                name=f"{kind.kind}-relation",
            ),
        ]
    return patterns
