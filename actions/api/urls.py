from django.urls import path

from .notifications import NotificationViewSet
from .views import ActionViewSet, entity_actions_views

routes = []

urlpatterns = [
    path("actions", ActionViewSet.as_view({"get": "list", "post": "create"}), name="action-list"),
    path(
        "actions/<nid:action_id>",
        ActionViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="action-detail",
    ),
    *(
        path(
            f"{kind.collection}/<nid:{kind.id_kwarg}>/actions",
            view.as_view({"get": "list", "post": "create"}),
            name=f"{kind.kind}-actions",
        )
        for kind, view in entity_actions_views()
    ),
    path(
        "me/notifications",
        NotificationViewSet.as_view({"get": "list"}),
        name="notification-list",
    ),
    path(
        "me/notifications/<nid:notification_id>",
        NotificationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="notification-detail",
    ),
]
