from rest_framework import serializers

from niagara.api.fields import DateTimeField
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


class DiffSerializer(PlannedRepresentationMixin, serializers.ModelSerializer):
    diff_id = serializers.CharField(source="public_id")
    by_user = DiffUserSerializer(allow_null=True)
    on_behalf_of = DiffUserSerializer(
        allow_null=True, help_text="Whom the change was made for (`Requestor-ID`), if anyone"
    )

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
        ]
