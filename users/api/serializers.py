from rest_framework import serializers

from niagara.api.fields import DateTimeField, HalLinksField
from niagara.api.serializers import ResourceSerializer

from ..models import User


class UserSerializer(ResourceSerializer):
    user_id = serializers.CharField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True, help_text="Human readable name")
    email = serializers.EmailField(read_only=True)
    created = DateTimeField(source="date_joined", read_only=True)
    _links = HalLinksField({"self": "users/{obj.public_id}"})

    class Meta:
        model = User
        fields = ["user_id", "name", "email", "created", "updated", "_links"]
