"""Serializer base classes: closed request objects and AJV-style error reporting."""

import copy
from collections.abc import Mapping
from functools import cached_property

from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import ProhibitNullCharactersValidator, SkipField

from niagara.text import NoControlCharacters
from niagara.validation_messages import wording

from .exceptions import InvalidData
from .fields import StrictDateTimeField, render_once
from .followable import learn_page
from .validation import messages_from_serializer_errors


class ClosedObjectMixin:
    """Reject keys the serializer does not know (JSON schema ``additionalProperties: false``).

    Read-only fields are known keys, so a client may PUT back what it fetched; their values are
    ignored, whatever they hold.
    """

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {
                key: [ErrorDetail(wording("additionalProperties", {}), "additionalProperties")]
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


class PrototypeFieldsMixin:
    """Build a serializer's fields once per class, then hand each instance light copies.

    DRF builds every serializer's fields afresh for every instance: it deep-copies the declared
    fields (querysets, validators and nested serializers with them) and, for a model
    serializer, infers the rest from the model again. One embedded work order is some 25
    serializers, so a single ``GET`` spent half its time there. The fields a class declares do
    not depend on the instance (none of ours overrides ``get_fields``), so the first instance's
    unbound fields are kept as the class's prototype, and every instance gets shallow copies
    that it binds as usual; a copy holds nothing bound or cached, as the prototype was never
    bound or used.
    """

    def get_fields(self):
        prototype = type(self).__dict__.get("_prototype_fields")
        if prototype is None:
            prototype = super().get_fields()
            for field in prototype.values():
                refuse_control_characters(field)
            type(self)._prototype_fields = prototype
        return {name: unbound_copy(field) for name, field in prototype.items()}


def refuse_control_characters(field: serializers.Field) -> None:
    """Make a text field (or a list of them) refuse control characters, not only NUL: DRF's
    ``ProhibitNullCharactersValidator`` gives way to ``niagara.text.NoControlCharacters``."""
    if isinstance(field, serializers.ListField):
        refuse_control_characters(field.child)
    if not isinstance(field, serializers.CharField) or field.read_only:
        return
    kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.validators = [*kept, NoControlCharacters()]


def unbound_copy(field: serializers.Field) -> serializers.Field:
    """A copy of an unbound prototype field, with its own children to bind."""
    made = copy.copy(field)
    if isinstance(field, serializers.ListSerializer):
        made.child = unbound_copy(field.child)
        made.child.bind(field_name="", parent=made)
    elif isinstance(field, serializers.ManyRelatedField):
        made.child_relation = unbound_copy(field.child_relation)
        made.child_relation.bind(field_name="", parent=made)
    return made


class PlannedRepresentationMixin(PrototypeFieldsMixin):
    """Render rows from a plan made once per serializer, not field by field per row.

    DRF's generic loop asks every field of every row how to traverse its source and whether the
    value is callable; a page of 100 work orders does that some 7,000 times. The plan reads a
    plain attribute directly and leaves everything else (dotted sources, ``"*"``, callables,
    fields with their own ``get_attribute``) to DRF, so the output is the same.
    """

    # Model date-times are answered by the shared, faster ``DateTimeField`` and read as RFC
    # 3339 (their offset required).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: StrictDateTimeField,
    }

    @cached_property
    def _plan(self) -> list[tuple[str, str | None, serializers.Field, bool]]:
        plan = []
        for field in self._readable_fields:
            plain = (
                type(field).get_attribute is serializers.Field.get_attribute
                and field.source != "*"
                and len(field.source_attrs) == 1
            )
            # A nested object (a diff's user) renders once per response, however many rows
            # share it.
            shared = isinstance(field, serializers.Serializer) and field.source != "*"
            plan.append((field.field_name, field.source_attrs[0] if plain else None, field, shared))
        return plan

    @classmethod
    def many_init(cls, *args, **kwargs):
        many = super().many_init(*args, **kwargs)
        if type(many) is serializers.ListSerializer:
            many.__class__ = PageSerializer
        return many

    def to_representation(self, instance):
        if self.parent is None:
            learn_page(self, [instance])  # the one entity of a response: its links
        row = {}
        for name, attr, field, shared in self._plan:
            value = getattr(instance, attr, _MISSING) if attr is not None else _MISSING
            if value is _MISSING or callable(value):
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
            if value is None:
                row[name] = None
            elif shared and isinstance(value, models.Model):
                row[name] = render_once(field, value)
            else:
                row[name] = field.to_representation(value)
        return row


_MISSING = object()


class PageSerializer(serializers.ListSerializer):
    """A list of rows that learns, before rendering them, which of the entities they link to
    the caller may read (one query per kind for the whole page)."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        if self.parent is None:
            learn_page(self.child, rows)
        return [self.child.to_representation(row) for row in rows]


class ReadSerializer(PlannedRepresentationMixin, serializers.Serializer):
    """A plain serializer for output only (an embedded object, a set of counters)."""


class StrictSerializer(
    ClosedObjectMixin, StrictValidationMixin, PlannedRepresentationMixin, serializers.Serializer
):
    """A plain serializer for a closed JSON object."""


class ResourceSerializer(
    ClosedObjectMixin,
    StrictValidationMixin,
    PlannedRepresentationMixin,
    serializers.ModelSerializer,
):
    """A model-backed HAL resource: documented fields plus ``_links``.

    Model date-times are answered by the shared ``DateTimeField``.

    It validates and renders; storing is the app's services' job (the viewset calls them), so
    ``save()`` would bypass every rule and is refused.
    """

    def create(self, validated_data):
        raise NotImplementedError("Store through the app's services (see ResourceViewSet).")

    def update(self, instance, validated_data):
        raise NotImplementedError("Store through the app's services (see ResourceViewSet).")
