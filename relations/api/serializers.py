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
    """The other end of a relation, read from the ``other`` document ``relations_of`` selects
    (its date-times come back as the database wrote them in JSON, and are parsed here)."""

    entity_type = serializers.SerializerMethodField()
    entity_id = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    created = serializers.SerializerMethodField()
    updated = serializers.SerializerMethodField()

    def get_entity_type(self, relation) -> str:
        return self.context["type_codes"][relation.other_type_id]

    def get_entity_id(self, relation) -> str:
        return relation.other["public_id"]

    def get_label(self, relation) -> str | None:
        return relation.other["label"]

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_created(self, relation) -> str:
        return iso_utc(relation.other["created"])

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_updated(self, relation) -> str:
        return iso_utc(relation.other["updated"])


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
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, relation):
        root = api_root(self.context.get("request"))
        other = entities.get(self.context["type_codes"][relation.other_type_id])
        return {
            "self": {
                "href": f"{root}{self.context['owner_path']}/relations/{relation_id(relation)}"
            },
            other.link_rel: {"href": root + other.path(relation.other["public_id"])},
        }


class RelationSerializer(ReadSerializer):
    """A relation as seen from one end. The fields describe it (and the schema); a page of them
    is rendered by ``to_representation`` below in one pass, as a hand-written view would."""

    relation_id = serializers.SerializerMethodField()
    relation = serializers.ChoiceField(choices=RelationType.choices)
    label = serializers.SerializerMethodField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    created = DateTimeField()
    updated = DateTimeField()
    entity = RelatedEntitySerializer(source="*")
    _links = RelationLinksField()

    def get_relation_id(self, relation) -> str:
        return relation_id(relation)

    def get_label(self, relation) -> str:
        return RELATION_LABELS[relation.relation]

    def to_representation(self, relation):
        context = self.context
        root = api_root(context.get("request"))
        other, kind = relation.other, entities.get(context["type_codes"][relation.other_type_id])
        own_id = relation_id(relation)
        return {
            "relation_id": own_id,
            "relation": relation.relation,
            "label": RELATION_LABELS[relation.relation],
            "direction": relation.direction,
            "created": self.fields["created"].to_representation(relation.created),
            "updated": self.fields["updated"].to_representation(relation.updated),
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
