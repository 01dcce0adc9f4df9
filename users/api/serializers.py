from rest_framework import serializers

from niagara.api.fields import (
    ID_PATTERN,
    DateTimeField,
    DocumentField,
    HalLinksField,
    OptionalTextField,
    StrictCharField,
    StrictEmailField,
    StrictRegexField,
)
from niagara.api.serializers import ResourceSerializer, StrictSerializer
from relations.registry import entities

from ..access import GOVERNED_KINDS
from ..models import HTTP_URL_PATTERN, Role, User
from ..permission_graph import GRANTS, USER_ATTRIBUTES


class OptionalURLField(OptionalTextField, StrictRegexField):
    """An optional http(s) URL (``string|null``), stored as "" when absent."""

    def __init__(self, **kwargs):
        super().__init__(pattern=HTTP_URL_PATTERN, max_length=500, **kwargs)


class UserSerializer(ResourceSerializer):
    user_id = serializers.CharField(source="public_id", read_only=True)
    # A user made over the API signs in with their e-mail address: it must fit the sign-in name
    # (150 characters), as the name must fit the name column.
    email = StrictEmailField(max_length=150, help_text="E-mail address (unique)")
    name = OptionalTextField(max_length=150, help_text="Human readable name")
    picture = OptionalURLField(help_text="Picture (image URL)")
    profile = OptionalURLField(help_text="Profile page URL")
    user_attributes = DocumentField(USER_ATTRIBUTES, required=False)
    created = DateTimeField(source="date_joined", read_only=True)
    _links = HalLinksField({"self": "users/{obj.public_id}"})

    class Meta:
        model = User
        fields = [
            "user_id",
            "email",
            "name",
            "picture",
            "profile",
            "user_attributes",
            "created",
            "updated",
            "_links",
        ]


class PersonSerializer(UserSerializer):
    """A person shown inside something else (a note's author) to whoever reads that; the link
    to the person's own resource only to those who may open it (``tenant:read``, or
    themself)."""

    _links = HalLinksField({"self": "users/{obj.public_id}"}, checked_self=True)

    class Meta(UserSerializer.Meta):
        pass


class MeSerializer(UserSerializer):
    """``GET /me``: the caller, with links to what is theirs."""

    _links = HalLinksField(
        {
            "self": "users/{obj.public_id}",
            "nter:me-customers": "me/customers",
            "nter:me-locations": "me/locations",
            "nter:me-manufacturers": "me/manufacturers",
            "nter:me-vendors": "me/vendors",
            "nter:me-tokens": "me/tokens",
        }
    )

    class Meta(UserSerializer.Meta):
        pass


class RoleSerializer(ResourceSerializer):
    role_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=200, help_text="Label for the role")
    description = OptionalTextField(help_text="What the role is for")
    grants = DocumentField(GRANTS, help_text="The permissions the role grants")
    total_users = serializers.IntegerField(
        read_only=True, help_text="Number of users who hold the role"
    )
    _links = HalLinksField(
        {"self": "roles/{obj.public_id}", "nter:role-users": "roles/{obj.public_id}/users"}
    )

    class Meta:
        model = Role
        fields = [
            "role_id",
            "label",
            "description",
            "grants",
            "created",
            "updated",
            "total_users",
            "_links",
        ]


class HeldOnSerializer(StrictSerializer):
    entity_type = serializers.ChoiceField(choices=[], help_text="The entity's type code")
    entity_id = StrictRegexField(ID_PATTERN, help_text="The entity's id")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = [
            kind.code for kind in entities if kind.kind in GOVERNED_KINDS
        ]


class RoleHolderSerializer(StrictSerializer):
    """``POST /roles/{role_id}/users``: who takes the role, and where (everywhere when no
    ``entity`` is named)."""

    user_id = StrictRegexField(ID_PATTERN, help_text="The user who takes the role")
    entity = HeldOnSerializer(
        required=False, help_text="The entity the role is held on (and what is below it)"
    )
