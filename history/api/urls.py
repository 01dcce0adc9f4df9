from django.urls import path

from relations.registry import entities

from .views import DiffViewSet


def urlpatterns() -> list:
    """Return the change-history route of every registered entity kind."""
    return [
        path(
            f"{kind.collection}/<nid:{kind.id_kwarg}>/diff",
            DiffViewSet.as_view({"get": "list"}, kind=kind),
            name=f"{kind.kind}-diff",
        )
        for kind in entities
    ]
