from rest_framework import serializers

from niagara.access import may_follow
from niagara.api import rels
from niagara.api.fields import (
    ID_PATTERN,
    HalLinksField,
    StrictBooleanField,
    StrictCharField,
    StrictRegexField,
)
from niagara.api.serializers import ResourceSerializer
from users.api.serializers import PersonSerializer

from ..models import MAX_TEXT, Note

rels.register(
    "nter:note-created-by",
    "In a note's representation: the person who wrote it.",
    "/api/users/{user_id}",
)


class NoteEntitySerializer(serializers.Serializer):
    """What the note is about."""

    entity_type = serializers.SerializerMethodField()
    entity_id = serializers.SerializerMethodField()

    def get_entity_type(self, note) -> str:
        return "UNIT" if note.unit_id is not None else "WOR"

    def get_entity_id(self, note) -> str:
        return note.subject.public_id


class NoteSerializer(ResourceSerializer):
    note_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200)
    text = StrictCharField(min_length=1, max_length=MAX_TEXT)
    thread_id = StrictRegexField(
        ID_PATTERN,
        required=False,
        allow_null=True,
        help_text="The note that started the thread this one answers",
    )
    issue = StrictBooleanField(required=False, help_text="The note raises an issue")
    closed = StrictBooleanField(required=False, help_text="The issue was dealt with")
    entity = NoteEntitySerializer(source="*", read_only=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    _links = HalLinksField({"self": "notes/{obj.public_id}"})

    class Meta:
        model = Note
        fields = [
            "note_id",
            "label",
            "created",
            "updated",
            "text",
            "thread_id",
            "issue",
            "closed",
            "entity",
            "created_by",
            "_links",
        ]

    def to_representation(self, note):
        data = super().to_representation(note)
        data["thread_id"] = note.thread.public_id if note.thread_id else None
        author = note.created_by
        if author is not None and may_follow(
            self.context.get("request"), f"users/{author.public_id}"
        ):
            href = data["_links"]["self"]["href"].rsplit("notes/", 1)[0]
            data["_links"]["nter:note-created-by"] = {
                "href": f"{href}users/{note.created_by.public_id}"
            }
        return data


class NoteChangeSerializer(ResourceSerializer):
    """What changes on a note: whether its issue is closed."""

    closed = StrictBooleanField(help_text="The issue was dealt with")

    class Meta:
        model = Note
        fields = ["closed"]
