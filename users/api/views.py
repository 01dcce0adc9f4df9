from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.viewsets import NiagaraViewSet

from ..models import User
from .access import TenantPermission
from .serializers import UserSerializer


class MeView(GenericAPIView):
    """``GET /me``: the caller's own user."""

    permission_classes = [IsAuthenticated]
    serializer_class = UserSerializer
    pagination_class = None

    @extend_schema(summary="Fetch me", operation_id="fetchMe")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)


@extend_schema_view(retrieve=extend_schema(summary="Fetch user", operation_id="fetchUserById"))
class UserViewSet(mixins.RetrieveModelMixin, NiagaraViewSet):
    collection = "users"
    queryset = User.objects.all()
    serializer_class = UserSerializer
    lookup_url_kwarg = "user_id"
    permission_classes = [TenantPermission]
