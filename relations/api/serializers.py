import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niagara.api.fields import ID_PATTERN, DateTimeField, StrictRegexField, api_root
from niagara.api.serializers import ReadSerializer, StrictSerializer

from ..models import WRITABLE_RELATIONS, Direction, RelationType
from ..registry import entities
from ..selectors import relation_id

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
            "_links": {
                "self": {"href": f"{root}{context['owner_path']}/relations/{own_id}"},
                kind.link_rel: {"href": root + kind.path(other["public_id"])},
            },
        }


RELATION_LABELS = dict(RelationType.choices)


class EntityReferenceSerializer(StrictSerializer):
    entity_type = serializers.ChoiceField(choices=[])
    entity_id = StrictRegexField(ID_PATTERN)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = entities.codes


class RelationCreateSerializer(StrictSerializer):
    relation = serializers.ChoiceField(choices=WRITABLE_RELATIONS)
    entity = EntityReferenceSerializer()
