from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niagara.api.fields import DateTimeField, api_root
from niagara.api.schema import LINK_SCHEMA
from niagara.api.serializers import PlannedRepresentationMixin
from users.models import User

from ..models import Diff


class DiffUserSerializer(PlannedRepresentationMixin, serializers.ModelSerializer):
    user_id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    created = DateTimeField(source="date_joined")

    class Meta:
        model = User
        fields = ["user_id", "name", "email", "created", "updated"]


@extend_schema_field(
    {"type": "object", "required": ["self"], "properties": {"self": LINK_SCHEMA}, "readOnly": True}
)
class DiffLinksField(serializers.Field):
    """A change's ``_links``: its own URL under its entity (``/units/{id}/diff/{diff_id}``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, diff):
        root = api_root(self.context.get("request"))
        return {"self": {"href": f"{root}{self.context['owner_path']}/diff/{diff.public_id}"}}


class DiffSerializer(PlannedRepresentationMixin, serializers.ModelSerializer):
    diff_id = serializers.CharField(source="public_id")
    by_user = DiffUserSerializer(allow_null=True)
    on_behalf_of = DiffUserSerializer(
        allow_null=True, help_text="Whom the change was made for (`Requestor-ID`), if anyone"
    )
    _links = DiffLinksField()

    class Meta:
        model = Diff
        fields = [
            "diff_id",
            "property",
            "old_value",
            "new_value",
            "by_user",
            "on_behalf_of",
            "date",
            "_links",
        ]
