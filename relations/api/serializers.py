import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niagara.access import learn_followable, may_follow
from niagara.api.fields import (
    ID_PATTERN,
    DateTimeField,
    IgnoredField,
    StrictRegexField,
    api_root,
)
from niagara.api.schema import component_rule
from niagara.api.serializers import ReadSerializer, StrictSerializer

from ..models import SYSTEM_RELATIONS, Direction, RelationType
from ..registry import entities
from ..selectors import content_type_ids, relation_id

LINK = {"type": "object", "properties": {"href": {"type": "string", "format": "uri"}}}


class RelatedEntitySerializer(ReadSerializer):
    """The other end of a relation (its shape; ``RelationSerializer`` renders it)."""

    entity_type = serializers.CharField(help_text="Type code of the related entity, e.g. USER")
    entity_id = serializers.CharField()
    label = serializers.CharField(allow_null=True)
    created = DateTimeField()
    updated = DateTimeField()


def iso_utc(text: str) -> str:
    """Return a UTC date-time the database wrote in JSON as the API writes date-times.

    SQLite writes ``2026-01-05 00:00:00.500000`` (UTC, no offset); PostgreSQL, whose sessions run
    in UTC, ``2026-01-05T00:00:00.5+00:00`` (trailing zeros of the fraction dropped): both are
    parsed, so every date-time reads the same, ``2026-01-05T00:00:00.500000Z``.
    """
    value = datetime.datetime.fromisoformat(text)
    return value.replace(tzinfo=None).isoformat() + "Z"


@extend_schema_field(
    {
        "type": "object",
        "required": ["self"],
        "properties": {"self": LINK},
        "additionalProperties": LINK,
        "description": "`self`, and `nter:<kind>` (e.g. `nter:user`) to the related entity",
    }
)
class RelationLinksField(serializers.Field):
    """The relation's ``_links`` (its shape; ``RelationSerializer`` renders it)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)


class RelationSerializer(ReadSerializer):
    """A relation as seen from one end, rendered from a row of ``relations_of`` (a dict).

    The declared fields give its shape to the OpenAPI schema; ``to_representation`` writes a
    page of rows in one pass, as a hand-written view would.
    """

    relation_id = serializers.CharField()
    relation = serializers.ChoiceField(choices=RelationType.choices)
    label = serializers.CharField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    created = DateTimeField()
    updated = DateTimeField()
    entity = RelatedEntitySerializer()
    _links = RelationLinksField()

    def to_representation(self, row):
        context = self.context
        root = api_root(context.get("request"))
        other, kind = row["other"], entities.get(context["type_codes"][row["other_type_id"]])
        own_id = relation_id(row["direction"], row["id"])
        return {
            "relation_id": own_id,
            "relation": row["relation"],
            "label": RELATION_LABELS[row["relation"]],
            "direction": row["direction"],
            "created": self.fields["created"].to_representation(row["created"]),
            "updated": self.fields["updated"].to_representation(row["updated"]),
            "entity": {
                "entity_type": kind.code,
                "entity_id": other["public_id"],
                "label": other["label"],
                "created": iso_utc(other["created"]),
                "updated": iso_utc(other["updated"]),
            },
            "_links": self._links_of(root, own_id, kind, other["public_id"]),
        }

    def _links_of(self, root: str, own_id: str, kind, other_id: str) -> dict:
        links = {"self": {"href": f"{root}{self.context['owner_path']}/relations/{own_id}"}}
        # The other end is linked to whoever may open it (a relation to a person is listed to
        # anyone who reads this end; the person's own resource needs ``tenant:read``).
        if may_follow(self.context.get("request"), kind.path(other_id)):
            links[kind.link_rel] = {"href": root + kind.path(other_id)}
        return links


RELATION_LABELS = dict(RelationType.choices)


def learn_page_ends(request, rows) -> None:
    """Have the caller's access read which other ends of a page of relations it may open."""
    type_codes = content_type_ids()
    targets: dict[str, set[str]] = {}
    for row in rows:
        kind = entities.get(type_codes[row["other_type_id"]])
        targets.setdefault(kind.collection, set()).add(row["other"]["public_id"])
    if targets:
        learn_followable(request, targets)


class EntityReferenceSerializer(StrictSerializer):
    entity_type = serializers.ChoiceField(choices=[])
    entity_id = StrictRegexField(ID_PATTERN)
    # A relation's fetched ``entity`` may be sent back as is.
    label = IgnoredField()
    created = IgnoredField()
    updated = IgnoredField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = entities.codes


# ``created`` names a person: the schema says so (``RelationCreateSerializer.validate``).
component_rule(
    "RelationCreateRequest",
    {
        "if": {"required": ["relation"], "properties": {"relation": {"const": "created"}}},
        "then": {"properties": {"entity": {"properties": {"entity_type": {"const": "USER"}}}}},
    },
)


class RelationCreateSerializer(StrictSerializer):
    relation = serializers.ChoiceField(
        choices=RelationType.choices,
        help_text="`created` records who created this entity (`entity` a USER), once: an "
        "entity that has its creator (every one made through Niagara) answers 409.",
    )
    entity = EntityReferenceSerializer()
    # A fetched relation (the docs' example) may be sent as is.
    relation_id = IgnoredField()
    label = IgnoredField()
    direction = IgnoredField()
    created = IgnoredField()
    updated = IgnoredField()
    _links = IgnoredField()

    def validate(self, attrs):
        if attrs["relation"] in SYSTEM_RELATIONS and attrs["entity"]["entity_type"] != "USER":
            wrong = serializers.ErrorDetail("should be USER: a creator is a person", code="const")
            raise serializers.ValidationError({"entity": {"entity_type": [wrong]}})
        return attrs
