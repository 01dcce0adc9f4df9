from rest_framework import serializers

from customers.models import Customer
from events.catalogue import EVENT_TYPES
from niagara.api import rels
from niagara.api.fields import (
    DateTimeField,
    EmbeddedReferenceField,
    HalLinksField,
    StrictBooleanField,
    StrictCharField,
    StrictRegexField,
    api_root,
)
from niagara.api.serializers import ResourceSerializer, StrictSerializer
from users.models import HTTP_URL_PATTERN

from ..models import Attempt, Webhook
from ..signing import SECRET_PATTERN

rels.register(
    "nter:webhook-deliveries",
    "In a webhook's representation: its delivery attempts, newest first.",
    "/api/webhooks/{webhook_id}/deliveries",
)


class WebhookCustomerSerializer(ResourceSerializer):
    """The customer a webhook hears: its id and label."""

    customer_id = serializers.CharField(source="public_id", read_only=True)
    label = serializers.CharField(read_only=True)
    _links = HalLinksField({"self": "customers/{obj.public_id}"}, checked_self=True)

    class Meta:
        model = Customer
        fields = ["customer_id", "label", "_links"]


class WebhookSerializer(ResourceSerializer):
    webhook_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    url = StrictRegexField(HTTP_URL_PATTERN, max_length=500, help_text="The receiver: http(s) URL")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES),
        min_length=1,
        max_length=len(EVENT_TYPES),
        help_text="The event types it hears, e.g. CYC.status-changed",
    )
    customer = EmbeddedReferenceField(
        queryset=Customer.objects.all(),
        id_name="customer_id",
        embedded=WebhookCustomerSerializer,
        required=False,
        allow_null=True,
        default=None,
        help_text="Whose events it hears; none: every customer's (needs customer:update "
        "everywhere)",
    )
    secret = StrictRegexField(
        SECRET_PATTERN,
        required=False,
        write_only=True,
        help_text="whsec_ and base64 (24 to 64 bytes); generated when not given. Answered once, "
        "by the create (and by rotate-secret)",
    )
    active = StrictBooleanField(required=False, default=True)
    failure_streak = serializers.IntegerField(read_only=True)
    disabled_reason = serializers.CharField(read_only=True)
    created = DateTimeField(read_only=True)
    updated = DateTimeField(read_only=True)
    _links = HalLinksField(
        {
            "self": "webhooks/{obj.public_id}",
            "nter:webhook-deliveries": "webhooks/{obj.public_id}/deliveries",
        }
    )

    class Meta:
        model = Webhook
        fields = [
            "webhook_id",
            "label",
            "url",
            "events",
            "customer",
            "secret",
            "active",
            "failure_streak",
            "disabled_reason",
            "created",
            "updated",
            "_links",
        ]


class WebhookWithSecretSerializer(WebhookSerializer):
    """The answer of a create or a rotation: the secret, this once."""

    secret = serializers.CharField(read_only=True, help_text="Shown this once: keep it")

    class Meta(WebhookSerializer.Meta):
        pass


class RotateSecretSerializer(StrictSerializer):
    secret = StrictRegexField(SECRET_PATTERN, required=False, help_text="Generated if absent")


class AttemptSerializer(serializers.ModelSerializer):
    """One attempt at a delivery: the message id (the ``webhook-id`` header, the same on every
    attempt of a delivery), the receiver's response code, and how the delivery stands."""

    delivery_id = serializers.CharField(source="delivery.public_id", read_only=True)
    webhook_message_id = serializers.CharField(source="delivery.public_id", read_only=True)
    event_type = serializers.CharField(source="delivery.type", read_only=True)
    event_id = serializers.SerializerMethodField()
    attempt = serializers.IntegerField(source="number", read_only=True)
    response_code = serializers.IntegerField(read_only=True, allow_null=True)
    error = serializers.SerializerMethodField()
    duration_ms = serializers.IntegerField(read_only=True)
    attempted = DateTimeField(read_only=True)
    delivery_status = serializers.CharField(source="delivery.status", read_only=True)
    next_attempt = serializers.SerializerMethodField()
    _links = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "delivery_id",
            "webhook_message_id",
            "event_type",
            "event_id",
            "attempt",
            "response_code",
            "error",
            "duration_ms",
            "attempted",
            "delivery_status",
            "next_attempt",
            "_links",
        ]

    def get__links(self, attempt) -> dict:
        """``self``: the delivery the attempt is of."""
        webhook = self.context["webhook"].public_id
        href = (
            f"{self.context['api_root']}webhooks/{webhook}/deliveries/{attempt.delivery.public_id}"
        )
        return {"self": {"href": href}}

    def get_event_id(self, attempt) -> str | None:
        event = attempt.delivery.event
        return event.public_id if event is not None else None

    def get_error(self, attempt) -> str | None:
        return attempt.error or None

    def get_next_attempt(self, attempt) -> str | None:
        delivery = attempt.delivery
        if delivery.status != "pending":
            return None
        return DateTimeField().to_representation(delivery.next_attempt)


class DeliverySerializer(serializers.Serializer):
    """A delivery: its message id (the ``webhook-id`` of each attempt), what it carries and
    how it stands."""

    delivery_id = serializers.CharField(source="public_id")
    webhook_message_id = serializers.CharField(source="public_id")
    event_type = serializers.CharField(source="type")
    payload = serializers.JSONField(help_text="The body POSTed: {type, timestamp, data}")
    delivery_status = serializers.CharField(source="status")
    attempts = serializers.IntegerField()
    last_response_code = serializers.IntegerField(allow_null=True)
    next_attempt = DateTimeField()
    _links = serializers.SerializerMethodField()

    def get__links(self, delivery) -> dict:
        root = api_root(self.context.get("request"))
        webhook = delivery.webhook.public_id
        return {"self": {"href": f"{root}webhooks/{webhook}/deliveries/{delivery.public_id}"}}
