from django.urls import path

from .views import DeliveryViewSet, WebhookDeliveriesViewSet, WebhookViewSet

routes = []

urlpatterns = [
    path(
        "webhooks",
        WebhookViewSet.as_view({"get": "list", "post": "create"}),
        name="webhook-list",
    ),
    path(
        "webhooks/<nid:webhook_id>",
        WebhookViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="webhook-detail",
    ),
    path(
        "webhooks/<nid:webhook_id>/deliveries",
        WebhookDeliveriesViewSet.as_view({"get": "list"}),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<nid:webhook_id>/test",
        WebhookViewSet.as_view({"post": "test"}),
        name="webhook-test",
    ),
    path(
        "webhooks/<nid:webhook_id>/rotate-secret",
        WebhookViewSet.as_view({"post": "rotate_secret"}),
        name="webhook-rotate-secret",
    ),
    path(
        "webhooks/<nid:webhook_id>/deliveries/<nid:delivery_id>",
        DeliveryViewSet.as_view({"get": "retrieve"}),
        name="webhook-delivery",
    ),
    path(
        "webhooks/<nid:webhook_id>/deliveries/<nid:delivery_id>/replay",
        DeliveryViewSet.as_view({"post": "replay"}),
        name="webhook-delivery-replay",
    ),
]
