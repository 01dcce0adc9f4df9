"""``/me/notifications``: the caller's notifications; a PATCH marks one read or archived."""

from django.db import transaction
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.filters import bracketed_filterset
from niagara.api.parsers import json_parser_for
from niagara.api.serializers import StrictSerializer
from niagara.api.viewsets import NiagaraViewSet
from niagara.errors import Conflict

from ..models import Notification
from ..notifications import notification_mark
from .serializers import NotificationSerializer

JSON_PATCH = "application/json-patch+json"
WRITABLE = ("read", "archived")


class PatchOperationSerializer(StrictSerializer):
    """One RFC 6902 operation; a notification's ``/read`` and ``/archived`` may be replaced
    (``add`` is the same for a member that exists) and any member tested."""

    op = serializers.ChoiceField(choices=["add", "replace", "test", "remove", "move", "copy"])
    path = serializers.RegexField(r"^/[a-z_]+$", max_length=40)
    value = serializers.JSONField(required=False)
    # ``from`` is a keyword in Python: declared below.

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.RegexField(r"^/[a-z_]+$", max_length=40, required=False)
        return fields


NotificationFilterSet = bracketed_filterset(
    "NotificationFilterSet",
    read=filters.BooleanFilter(field_name="read", help_text="Read ones (true) or unread (false)"),
    archive=filters.BooleanFilter(field_name="archived", help_text="Archived ones (true) or not"),
)


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
        "`add`) `/read` or `/archived` with a boolean; `test` any member first. Anything "
        "else is a 400; a failed `test` a 409, and nothing is changed.",
        request={JSON_PATCH: PatchOperationSerializer(many=True)},
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
        operations = PatchOperationSerializer(data=request.data, many=True)
        if not isinstance(request.data, list):
            raise serializers.ValidationError(
                {"non_field_errors": ["a JSON Patch is an array of operations"]}
            )
        operations.is_valid(raise_exception=True)
        if len(operations.validated_data) > 20:
            raise serializers.ValidationError({"non_field_errors": ["at most 20 operations"]})
        notification = self.get_object()
        self.check_if_match(notification)
        current = self.get_serializer(notification).data
        changes = {}
        for number, operation in enumerate(operations.validated_data):
            changes.update(_apply(number, operation, {**current, **changes}))
        if changes:
            notification = notification_mark(notification, **changes)
        return Response(self.get_serializer(notification).data)


def _apply(number: int, operation: dict, document: dict) -> dict:
    name = operation["path"][1:]
    where = f"{number}"
    if operation["op"] == "test":
        if name not in document:
            raise serializers.ValidationError({where: [f'no member "{name}" to test']})
        if "value" not in operation:
            raise serializers.ValidationError({where: ["a test needs a value"]})
        if document[name] != operation["value"]:
            raise Conflict(f"test failed: {operation['path']} is not {operation['value']!r}")
        return {}
    if operation["op"] not in ("add", "replace") or name not in WRITABLE:
        raise serializers.ValidationError(
            {where: ["only /read and /archived can be replaced (with true or false)"]}
        )
    if not isinstance(operation.get("value"), bool):
        raise serializers.ValidationError({where: [f"{operation['path']} takes true or false"]})
    return {name: operation["value"]}
