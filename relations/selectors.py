"""Reads of relations, shaped for the API: one query per page, whatever the mix of entity types."""

import base64
import binascii
import functools

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, CharField, F, JSONField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import JSONObject

from .models import Direction, Relation
from .registry import entities


def content_type_ids() -> dict[int, str]:
    """Return {content type id: entity type code} for every registered kind."""
    types = ContentType.objects.get_for_models(*(kind.model for kind in entities))
    return {types[kind.model].pk: kind.code for kind in entities}


def _other(columns: dict[int, Subquery], output_field) -> Case:
    """Pick, by the other end's content type, the subquery that reads it."""
    return Case(
        *[When(other_type_id=type_id, then=subquery) for type_id, subquery in columns.items()],
        default=Value(None),
        output_field=output_field,
    )


def relations_of(entity: models.Model) -> models.QuerySet:
    """Return the relations of ``entity``, each annotated as seen from it.

    Annotations: ``direction``, ``other_type_id``, ``other_id`` and ``other``, the other end's
    ``{public_id, label, created, updated}`` — read with one correlated subquery per kind, so a
    page is one query. Only the kinds ``entity`` is related to get a subquery (one query finds
    them): building and compiling a column for every registered kind cost more than the page.
    """
    content_type = ContentType.objects.get_for_model(entity)
    outward = Q(subject_type=content_type, subject_id=entity.pk)
    inward = Q(object_type=content_type, object_id=entity.pk)
    queryset = Relation.objects.filter(outward | inward).annotate(
        direction=Case(
            When(outward, then=Value(Direction.OUTWARD)),
            default=Value(Direction.INWARD),
            output_field=CharField(),
        ),
        other_type_id=Case(When(outward, then=F("object_type")), default=F("subject_type")),
        other_id=Case(When(outward, then=F("object_id")), default=F("subject_id")),
    )
    present = set(queryset.order_by().values_list("other_type_id", flat=True).distinct())
    ends = {
        type_id: _end_of(code) for type_id, code in content_type_ids().items() if type_id in present
    }
    return queryset.annotate(other=_other(ends, JSONField()))


# What a page of relations reads: rows as dicts (``.values(*RELATION_COLUMNS)``), no models.
RELATION_COLUMNS = ("id", "relation", "direction", "created", "updated", "other_type_id", "other")


@functools.cache
def _end_of(code: str) -> Subquery:
    """Return the subquery that reads an entity of kind ``code`` as a relation's other end
    (built once per kind: it depends on nothing but the kind)."""
    kind = entities.get(code)
    document = JSONObject(
        public_id=F("public_id"),
        label=kind.label,
        created=F(kind.created_field),
        updated=F("updated"),
    )
    rows = kind.model._default_manager.filter(pk=OuterRef("other_id"))
    return Subquery(rows.values(end=document)[:1])


def relation_id(direction: str, pk: int) -> str:
    """Return the opaque id of a relation as seen from one end (each end has its own)."""
    raw = f"{direction[0]}{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_relation_id(value: str) -> tuple[str, int] | None:
    """Return (direction, pk) for an id made by ``relation_id``, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefixes = {"O": Direction.OUTWARD, "I": Direction.INWARD}
    if len(raw) < 2 or raw[0] not in prefixes or not raw[1:].isdigit():
        return None
    return prefixes[raw[0]], int(raw[1:])


def related_ids(entity: models.Model, *, relation: str, model, direction: str) -> models.QuerySet:
    """Return the pks of ``model`` entities related to ``entity`` (a subquery, not a list).

    ``direction`` is seen from ``entity``: INWARD means "<model> <relation> entity".
    """
    own = ContentType.objects.get_for_model(entity)
    other = ContentType.objects.get_for_model(model)
    if direction == Direction.INWARD:
        return Relation.objects.filter(
            relation=relation,
            object_type=own,
            object_id=entity.pk,
            subject_type=other,
        ).values("subject_id")
    return Relation.objects.filter(
        relation=relation, subject_type=own, subject_id=entity.pk, object_type=other
    ).values("object_id")
