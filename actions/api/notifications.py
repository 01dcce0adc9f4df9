"""``/me/notifications``: the caller's notifications; a PATCH marks one read or archived."""

from django.db import transaction
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.fields import StrictBooleanField
from niagara.api.filters import bracketed_filterset
from niagara.api.parsers import json_parser_for
from niagara.api.schema import NiagaraAutoSchema
from niagara.api.serializers import StrictSerializer
from niagara.api.viewsets import NiagaraViewSet
from niagara.errors import Conflict

from ..models import Notification
from ..notifications import notification_mark
from .serializers import NotificationSerializer

JSON_PATCH = "application/json-patch+json"


class PatchOperationSerializer(StrictSerializer):
    """One RFC 6902 operation on a notification: ``replace`` (or ``add``, the same for a
    member that exists) ``/read`` or ``/archived`` with a boolean, or ``test`` one first."""

    op = serializers.ChoiceField(choices=["add", "replace", "test"])
    path = serializers.ChoiceField(choices=["/read", "/archived"])
    value = StrictBooleanField()


# What the PATCH takes, as published: 1 to 20 operations (a serializer list says no bounds).
PATCH_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "maxItems": 20,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["op", "path", "value"],
        "properties": {
            "op": {"type": "string", "enum": ["add", "replace", "test"]},
            "path": {"type": "string", "enum": ["/read", "/archived"]},
            "value": {"type": "boolean"},
        },
    },
}


def _by_flag(queryset, name, value):
    return queryset.filter(**{name: value == "true"})


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class FlagFilter(filters.ChoiceFilter):
    """``true`` or ``false``, nothing else (a boolean filter ignores ``null`` silently)."""


def _flag(field_name: str, help_text: str) -> FlagFilter:
    return FlagFilter(
        field_name=field_name,
        choices=[("true", "true"), ("false", "false")],
        method=_by_flag,
        help_text=help_text,
    )


NotificationFilterSet = bracketed_filterset(
    "NotificationFilterSet",
    read=_flag("read", "Read ones (true) or unread (false)"),
    archive=_flag("archived", "Archived ones (true) or not"),
)


class NotificationSchema(NiagaraAutoSchema):
    """The PATCH's body is a raw JSON Patch schema (bounded in length, which a serializer list
    does not publish): required, as the server requires it."""

    def _get_request_body(self, *args, **kwargs):
        body = super()._get_request_body(*args, **kwargs)
        if body is not None and self.method == "PATCH":
            body["required"] = True
        return body


@extend_schema_view(
    list=extend_schema(
        summary="Fetch notifications",
        operation_id="fetchNotifications",
        description="The caller's notifications, newest first.",
    ),
    retrieve=extend_schema(summary="Fetch notification", operation_id="fetchNotificationById"),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NiagaraViewSet):
    collection = "notifications"
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilterSet
    lookup_url_kwarg = "notification_id"
    schema = NotificationSchema()
    ordering = ("-id",)
    visibility = False  # the caller's own, by the queryset
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user).select_related("sender")

    def get_parsers(self):
        request = getattr(self, "request", None)
        if request is not None and request.method == "PATCH":
            return [json_parser_for(JSON_PATCH)(), json_parser_for("application/json")()]
        return super().get_parsers()

    def lock_for_write(self, lookup: str) -> None:
        list(self.get_queryset().select_for_update().filter(public_id=lookup).values_list("pk"))

    @extend_schema(
        summary="Update notification",
        operation_id="updateNotification",
        description="An RFC 6902 JSON Patch (`application/json-patch+json`): `replace` (or "
        "`add`) `/read` or `/archived` with a boolean, `test` one first. Anything else is a "
        "400; a failed `test` a 409, and nothing is changed.",
        request={JSON_PATCH: PATCH_SCHEMA},
        examples=[
            OpenApiExample(
                "Mark as read",
                value=[{"op": "replace", "path": "/read", "value": True}],
                request_only=True,
            )
        ],
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
    )
    @transaction.atomic
    def partial_update(self, request, *args, **kwargs):
        operations = PatchOperationSerializer(
            data=request.data, many=True, min_length=1, max_length=20
        )
        if not isinstance(request.data, list):
            raise serializers.ValidationError(
                {"non_field_errors": ["a JSON Patch is an array of operations"]}
            )
        operations.is_valid(raise_exception=True)
        notification = self.get_object()
        self.check_if_match(notification)
        current = self.get_serializer(notification).data
        changes = {}
        for operation in operations.validated_data:
            changes.update(_apply(operation, {**current, **changes}))
        if changes:
            notification = notification_mark(notification, **changes)
        return Response(self.get_serializer(notification).data)


def _apply(operation: dict, document: dict) -> dict:
    name = operation["path"][1:]
    if operation["op"] == "test":
        if document[name] != operation["value"]:
            raise Conflict(f"test failed: {operation['path']} is not {operation['value']!r}")
        return {}
    return {name: operation["value"]}
