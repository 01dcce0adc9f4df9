"""Webhooks over the API: subscriptions, their delivery log, a test message, a replay, and
a secret rotation. Whoever may change a customer (``customer:update``) manages its webhooks."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from niagara.access import access_for
from niagara.api.fields import api_root
from niagara.api.viewsets import NiagaraViewSet, ResourceViewSet, get_or_404

from .. import services
from ..models import Attempt, Delivery, Webhook
from ..selectors import attempts_of, may_manage_everywhere, webhooks_for
from .serializers import (
    AttemptSerializer,
    DeliverySerializer,
    RotateSecretSerializer,
    WebhookSerializer,
    WebhookWithSecretSerializer,
)

EXAMPLE = {"url": "https://example.com/niagara-events", "events": ["CYC.status-changed"]}


class WebhookPermission(BasePermission):
    """``customer:update`` on the webhook's customer; everywhere for one of no customer."""

    message = "Managing a customer's webhooks needs customer:update on the customer."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) == "create":
            return access_for(request).may_somewhere("customer:update")
        return True

    def has_object_permission(self, request, view, obj):
        return True  # the list of what the caller manages is all they reach (else 404)

    def has_create_permission(self, request, view, validated_data) -> bool:
        customer = validated_data.get("customer")
        if customer is None:
            return may_manage_everywhere(request)
        return access_for(request).allows("customer:update", customer)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch webhooks",
        operation_id="fetchAllWebhooks",
        description="The webhooks of the customers the caller may change (beyond the Niagara "
        "docs: Niagara's outbound events).",
    ),
    create=extend_schema(
        summary="Create webhook",
        operation_id="createWebhook",
        description="Subscribes `url` to `events` of a customer (or of every customer, with "
        "none). Each event is POSTed as `{type, timestamp, data}`, signed by the Standard "
        "Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`), at least "
        "once, retried with growing gaps for about 16 hours. The answer carries the secret "
        "(generated when not given) this once. A loopback URL is refused unless the server "
        "runs for development.",
        responses={201: WebhookWithSecretSerializer},
        examples=None,
    ),
    retrieve=extend_schema(summary="Fetch webhook", operation_id="fetchWebhookById"),
    update=extend_schema(summary="Update webhook", operation_id="updateWebhook"),
    partial_update=extend_schema(summary="Change part of webhook", operation_id="patchWebhook"),
    destroy=extend_schema(summary="Delete webhook", operation_id="deleteWebhook"),
)
class WebhookViewSet(ResourceViewSet):
    collection = "webhooks"
    serializer_class = WebhookSerializer
    lookup_url_kwarg = "webhook_id"
    permission_classes = [WebhookPermission]
    visibility = False  # ``get_queryset`` is already what the caller manages
    create_status = status.HTTP_201_CREATED
    fields_class = services.WebhookFields
    create_service = staticmethod(services.webhook_create)
    update_service = staticmethod(services.webhook_update)
    delete_service = staticmethod(services.webhook_delete)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return webhooks_for(self.request)

    def get_serializer_class(self):
        if self.action == "create" and self.request.method == "POST" and hasattr(self, "_made"):
            return WebhookWithSecretSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._made = True  # the answer shows the secret, this once

    def write_fields(self, serializer):
        data = dict(serializer.validated_data)
        instance = serializer.instance
        moved = instance is not None and data.get("customer") != instance.customer
        if moved and not self._may_move_to(data.get("customer")):
            self.permission_denied(self.request, message=WebhookPermission.message)
        return self.fields_class(**data)

    def _may_move_to(self, customer) -> bool:
        if customer is None:
            return may_manage_everywhere(self.request)
        return access_for(self.request).allows("customer:update", customer)

    @extend_schema(
        summary="Send webhook a test message",
        operation_id="testWebhook",
        description="Queues a `webhook.test` message to the webhook, attempted like any other; "
        "its attempts show in the deliveries.",
        request=None,
        responses={202: DeliverySerializer},
    )
    def test(self, request, *args, **kwargs):
        delivery = services.webhook_send_test(self.get_object(), actor=request.user)
        data = DeliverySerializer(delivery, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Rotate webhook secret",
        operation_id="rotateWebhookSecret",
        description="A new signing secret (given, or generated) at once; for 24 hours every "
        "message carries a signature by the old one too, so the receiver switches without a gap.",
        request=RotateSecretSerializer,
        responses={200: WebhookWithSecretSerializer},
    )
    def rotate_secret(self, request, *args, **kwargs):
        body = RotateSecretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        webhook = services.webhook_rotate_secret(
            self.get_object(), actor=request.user, secret=body.validated_data.get("secret", "")
        )
        context = self.get_serializer_context()
        return Response(WebhookWithSecretSerializer(webhook, context=context).data)


class DeliveryViewSet(NiagaraViewSet):
    collection = ""
    permission_classes = [WebhookPermission]
    serializer_class = DeliverySerializer
    http_method_names = ["get", "post", "head", "options"]
    conditional = False

    def get_queryset(self):
        return Delivery.objects.all()

    def get_object(self):
        webhook = get_or_404(webhooks_for(self.request), self.kwargs["webhook_id"])
        delivery = get_or_404(
            Delivery.objects.filter(webhook=webhook).select_related("webhook"),
            self.kwargs["delivery_id"],
        )
        return delivery

    @extend_schema(
        summary="Fetch webhook delivery",
        operation_id="fetchWebhookDelivery",
        description="One delivery: its message id (the `webhook-id` of each attempt), the body "
        "it POSTs, and how it stands.",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Replay webhook delivery",
        operation_id="replayWebhookDelivery",
        description="Sends a delivery's message again, whatever became of it, under the same "
        "`webhook-id` (a receiver that de-duplicates by it sees one message).",
        request=None,
        responses={202: DeliverySerializer, 404: OpenApiResponse(description="Not found")},
    )
    def replay(self, request, *args, **kwargs):
        delivery = services.delivery_replay(self.get_object(), actor=request.user)
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveriesViewSet(NiagaraViewSet):
    collection = "webhook-deliveries"
    permission_classes = [WebhookPermission]
    serializer_class = AttemptSerializer
    ordering = ("-id",)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attempt.objects.none()
        self.webhook = get_or_404(webhooks_for(self.request), self.kwargs["webhook_id"])
        return attempts_of(self.webhook)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context.update(webhook=self.webhook, api_root=api_root(self.request))
        return context

    @extend_schema(
        summary="Fetch webhook deliveries",
        operation_id="fetchWebhookDeliveries",
        description="Every attempt at the webhook's deliveries, newest first: the message id "
        "(`webhook_message_id`, the `webhook-id` header, the same on each attempt of one "
        "delivery), the receiver's response code (none: no answer, see `error`), and how the "
        "delivery stands.",
    )
    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)
