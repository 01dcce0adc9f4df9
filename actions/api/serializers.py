from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.catalogue import EVENT_TYPES
from niagara.access import may_view
from niagara.api import rels
from niagara.api.fields import (
    ID_PATTERN,
    DateTimeField,
    DocumentField,
    HalLinksField,
    StrictBooleanField,
    StrictCharField,
    StrictRegexField,
)
from niagara.api.serializers import ResourceSerializer, StrictSerializer
from relations.registry import entities
from users.api.serializers import PersonSerializer

from ..documents import CRITERIA, EFFECT
from ..models import Action, Notification, Sequence, Severity

# The kinds an action may be configured for (the docs' ``/{collection}/{id}/actions``).
TARGET_CODES = (
    "CON",
    "CUS",
    "LOC",
    "MFR",
    "PART",
    "PGM",
    "PRJ",
    "RES",
    "SRES",
    "UNIT",
    "USER",
    "WOR",
)

rels.register(
    "nter:notification-sender",
    "In a notification's representation: who set the action that sent it.",
    "/api/users/{user_id}",
)
rels.register(
    "nter:notification-regarding",
    "In a notification's representation: the entity it is about.",
    "/api/{collection}/{entity_id}",
)


class ActionEntitySerializer(StrictSerializer):
    """The entity an action is configured for."""

    entity_id = StrictRegexField(ID_PATTERN, max_length=64)
    entity_type = serializers.ChoiceField(choices=TARGET_CODES)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "additionalProperties": False,
        "required": ["entity_id", "entity_type"],
        "properties": {
            "entity_id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 64},
            "entity_type": {"type": "string", "enum": list(TARGET_CODES)},
        },
    }
)
class ActionEntityField(serializers.Field):
    """``{entity_id, entity_type}`` in and out; the entity itself once validated (one the
    caller may not read is answered as one that does not exist)."""

    def to_internal_value(self, data):
        reference = ActionEntitySerializer(data=data, context=self.context)
        reference.is_valid(raise_exception=True)
        code, public_id = (
            reference.validated_data["entity_type"],
            reference.validated_data["entity_id"],
        )
        found = entities.get(code).model.objects.filter(public_id=public_id).first()
        if found is None or not may_view(self.context.get("request"), found):
            raise serializers.ValidationError(
                {"entity_id": [f'no {code} with id "{public_id}"']}, code="exists"
            )
        return found

    def to_representation(self, reference):
        return reference


class ActionSerializer(ResourceSerializer):
    action_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    entity = ActionEntityField(
        source="target_ref",
        required=False,
        allow_null=True,
        help_text="The entity it is configured for: its events and those of what is under it "
        "(none: a global action, every event of its type)",
    )
    sequence = serializers.ChoiceField(
        choices=Sequence.choices,
        default=Sequence.BEFORE,
        help_text="before: runs before the event's other listeners (webhooks) and the after "
        "actions; after: once they ran",
    )
    order = StrictCharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Sort key among the actions of one event and sequence",
    )
    event = serializers.ChoiceField(choices=EVENT_TYPES, help_text="e.g. CTX.step-failed")
    criteria = DocumentField(
        CRITERIA, help_text="All must hold (of the event's data, then the entity's fields)"
    )
    effect = DocumentField(EFFECT, help_text="notify contacts or users; update a status")
    active = StrictBooleanField(required=False, default=True)
    last_fired = DateTimeField(read_only=True, allow_null=True)
    last_error = serializers.CharField(read_only=True)
    created = DateTimeField(read_only=True)
    updated = DateTimeField(read_only=True)
    _links = HalLinksField({"self": "actions/{obj.public_id}"})

    class Meta:
        model = Action
        fields = [
            "action_id",
            "label",
            "entity",
            "sequence",
            "order",
            "event",
            "criteria",
            "effect",
            "active",
            "last_fired",
            "last_error",
            "created",
            "updated",
            "_links",
        ]

    def to_representation(self, action):
        data = super().to_representation(action)
        if action.target_type in entities and "self" in data.get("_links", {}):
            # The other actions of the same entity.
            root = data["_links"]["self"]["href"].rsplit("actions/", 1)[0]
            kind = entities.get(action.target_type)
            href = f"{root}{kind.collection}/{action.target_id}/actions"
            data["_links"]["nter:entity-actions"] = {"href": href}
        return data


class RegardingSerializer(serializers.Serializer):
    entity_id = serializers.CharField(source="regarding_id")
    entity_type = serializers.CharField(source="regarding_type")
    label = serializers.CharField(source="regarding_label")
    _links = serializers.SerializerMethodField()

    def get__links(self, notification) -> dict:
        kind = (
            entities.get(notification.regarding_type)
            if notification.regarding_type in entities
            else None
        )
        root = self.context.get("api_root", "/api/")
        if kind is None:
            return {}
        return {"self": {"href": f"{root}{kind.collection}/{notification.regarding_id}"}}


class NotificationSerializer(ResourceSerializer):
    notification_id = serializers.CharField(source="public_id", read_only=True)
    label = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    severity = serializers.ChoiceField(choices=Severity.choices, read_only=True)
    read = StrictBooleanField()
    archived = StrictBooleanField()
    source_id = serializers.CharField(read_only=True, help_text="The event that caused it")
    created = DateTimeField(read_only=True)
    updated = DateTimeField(read_only=True)
    _links = HalLinksField({"self": "me/notifications/{obj.public_id}"})
    _embedded = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "notification_id",
            "label",
            "message",
            "severity",
            "read",
            "archived",
            "source_id",
            "created",
            "updated",
            "_links",
            "_embedded",
        ]

    def get__embedded(self, notification) -> dict:
        sender = notification.sender
        return {
            "nter:notification-sender": [PersonSerializer(sender, context=self.context).data]
            if sender is not None
            else [],
            "nter:notification-regarding": [
                RegardingSerializer(notification, context=self.context).data
            ]
            if notification.regarding_id
            else [],
        }
