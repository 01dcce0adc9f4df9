"""Serializer base classes: closed request objects and AJV-style error reporting."""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from .exceptions import InvalidData
from .validation import messages_from_serializer_errors


class ClosedObjectMixin:
    """Reject keys the serializer does not know (JSON schema ``additionalProperties: false``).

    Read-only fields are known keys, so a client may PUT back what it fetched.
    """

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {
                key: [ErrorDetail("should NOT have additional properties", "additionalProperties")]
                for key in data
                if key not in self.fields
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class StrictValidationMixin:
    """Raise ``InvalidData`` with the docs' ``validation_messages`` instead of DRF's dict."""

    def is_valid(self, *, raise_exception=False):
        valid = super().is_valid(raise_exception=False)
        if not valid and raise_exception:
            raise InvalidData(messages_from_serializer_errors(self.errors, self))
        return valid


class StrictSerializer(ClosedObjectMixin, StrictValidationMixin, serializers.Serializer):
    """A plain serializer for a closed JSON object."""


class ResourceSerializer(ClosedObjectMixin, StrictValidationMixin, serializers.ModelSerializer):
    """A model-backed HAL resource: documented fields plus ``_links``.

    It validates and renders; storing is the app's services' job (the viewset calls them), so
    ``save()`` would bypass every rule and is refused.
    """

    def create(self, validated_data):
        raise NotImplementedError("Store through the app's services (see ResourceViewSet).")

    def update(self, instance, validated_data):
        raise NotImplementedError("Store through the app's services (see ResourceViewSet).")
