from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.exceptions import reference_error
from niagara.api.schema import crud_schema
from niagara.api.viewsets import (
    ChildListViewSet,
    CreateModelMixin,
    ResourceViewSet,
)
from relations.registry import entities

from .. import services
from ..models import Role, User
from .access import TenantPermission
from .serializers import MeSerializer, RoleHolderSerializer, RoleSerializer, UserSerializer


class MeView(GenericAPIView):
    """``GET /me``: the caller's own user."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer
    pagination_class = None

    @extend_schema(summary="Fetch me", operation_id="fetchMe")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)


@extend_schema_view(**crud_schema("user", "users", "User"))
class UserViewSet(ResourceViewSet):
    """The shop's people: ``tenant:read`` lists them (anyone reads themself); administrators
    (``tenant:settings``) create, replace and delete them."""

    collection = "users"
    queryset = User.objects.all()
    serializer_class = UserSerializer
    lookup_url_kwarg = "user_id"
    permission_classes = [TenantPermission]
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.UserFields
    create_service = staticmethod(services.user_register)
    update_service = staticmethod(services.user_replace)
    delete_service = staticmethod(services.user_remove)


def roles_for_display():
    return Role.objects.annotate(total_users=Count("holdings__user", distinct=True))


@extend_schema_view(**crud_schema("role", "roles", "Role"))
class RoleViewSet(ResourceViewSet):
    """Roles: administrators (``tenant:settings``) manage them; ``tenant:read`` reads them."""

    collection = "roles"
    queryset = roles_for_display()
    serializer_class = RoleSerializer
    lookup_url_kwarg = "role_id"
    permission_classes = [TenantPermission]
    conflict_methods = frozenset({"POST", "PUT"})
    locked_methods = frozenset({"DELETE"})

    fields_class = services.RoleFields
    create_service = staticmethod(services.role_create)
    update_service = staticmethod(services.role_update)
    delete_service = staticmethod(services.role_delete)


@extend_schema_view(
    list=extend_schema(summary="Fetch role users", operation_id="fetchAllRoleUsers"),
    create=extend_schema(
        summary="Give a user the role",
        operation_id="attachRoleUser",
        request=RoleHolderSerializer,
        description="The user holds the role everywhere, or on the `entity` named (and what "
        "is below it). Holding it there already is a 409.",
    ),
)
class RoleUsersViewSet(CreateModelMixin, ChildListViewSet):
    collection = "users"
    queryset = User.objects.all()
    serializer_class = UserSerializer
    parent_queryset = Role.objects.all()
    parent_kwarg = "role_id"
    permission_classes = [TenantPermission]
    conflict_methods = frozenset({"POST"})

    def children_of(self, parent, queryset):
        return queryset.filter(role_holdings__role=parent).distinct()

    def create(self, request, *args, **kwargs):
        body = RoleHolderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = User.objects.filter(public_id=body.validated_data["user_id"]).first()
        if user is None:
            raise reference_error(
                ("user_id",), f'no USER with id "{body.validated_data["user_id"]}"'
            )
        entity = None
        if "entity" in body.validated_data:
            reference = body.validated_data["entity"]
            kind = entities.get(reference["entity_type"])
            entity = kind.model._default_manager.filter(public_id=reference["entity_id"]).first()
            if entity is None:
                raise reference_error(
                    ("entity", "entity_id"),
                    f'no {kind.code} with id "{reference["entity_id"]}"',
                    entity_type=kind.code,
                )
        services.role_grant(self.parent, user=user, entity=entity)
        return Response(self.get_serializer(user).data)


# ``include=`` on the fetch of each parent: the sub-collections this app serves.
RoleViewSet.add_include("users", RoleUsersViewSet)
