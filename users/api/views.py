from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.permissions import ModelPermissions
from niagara.api.viewsets import NiagaraViewSet

from ..models import User
from .serializers import UserSerializer


class MeView(GenericAPIView):
    """``GET /me``: the caller's own user."""

    permission_classes = [IsAuthenticated]
    serializer_class = UserSerializer
    pagination_class = None

    @extend_schema(summary="Fetch me", operation_id="fetchMe")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)


class SelfOrModelPermissions(ModelPermissions):
    """Anyone may read their own user; reading others needs ``users.view_user``."""

    def has_permission(self, request, view):
        if view.kwargs.get("user_id") == getattr(request.user, "public_id", None):
            return True
        return super().has_permission(request, view)


@extend_schema_view(retrieve=extend_schema(summary="Fetch user", operation_id="fetchUserById"))
class UserViewSet(mixins.RetrieveModelMixin, NiagaraViewSet):
    collection = "users"
    queryset = User.objects.all()
    serializer_class = UserSerializer
    lookup_url_kwarg = "user_id"
    permission_classes = [SelfOrModelPermissions]
