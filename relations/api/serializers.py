from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niagara.api.fields import ID_PATTERN, DateTimeField, StrictRegexField, api_root
from niagara.api.serializers import ReadSerializer, StrictSerializer

from ..models import WRITABLE_RELATIONS, Direction, RelationType
from ..registry import entities
from ..selectors import relation_id

LINK = {"type": "object", "properties": {"href": {"type": "string", "format": "uri"}}}


class RelatedEntitySerializer(ReadSerializer):
    """The other end of a relation, read from the annotations of ``relations_of``."""

    entity_type = serializers.SerializerMethodField()
    entity_id = serializers.CharField(source="other_public_id")
    label = serializers.CharField(source="other_label", allow_null=True)
    created = DateTimeField(source="other_created")
    updated = DateTimeField(source="other_updated")

    def get_entity_type(self, relation) -> str:
        return self.context["type_codes"][relation.other_type_id]


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
            other.link_rel: {"href": root + other.path(relation.other_public_id)},
        }


class RelationSerializer(ReadSerializer):
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
        return RelationType(relation.relation).label


class EntityReferenceSerializer(StrictSerializer):
    entity_type = serializers.ChoiceField(choices=[])
    entity_id = StrictRegexField(ID_PATTERN)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = entities.codes


class RelationCreateSerializer(StrictSerializer):
    relation = serializers.ChoiceField(choices=WRITABLE_RELATIONS)
    entity = EntityReferenceSerializer()
