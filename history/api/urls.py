from django.urls import path

from relations.registry import entities

from .views import DiffViewSet


def urlpatterns() -> list:
    """Return the change-history routes of every registered entity kind."""
    patterns = []
    for kind in entities:
        base = f"{kind.collection}/<nid:{kind.id_kwarg}>/diff"
        patterns += [
            path(base, DiffViewSet.as_view({"get": "list"}, kind=kind), name=f"{kind.kind}-diff"),
            path(
                f"{base}/<nid:diff_id>",
                DiffViewSet.as_view({"get": "retrieve"}, kind=kind),
                name=f"{kind.kind}-diff-item",
            ),
        ]
    return patterns
