from django.urls import path

from .tokens import MyTokensViewSet
from .views import MeView, RoleUsersViewSet, RoleViewSet, UserViewSet

routes = [("users", UserViewSet, "user"), ("roles", RoleViewSet, "role")]

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    path("me/tokens", MyTokensViewSet.as_view({"get": "list", "post": "create"}), name="me-tokens"),
    path(
        "me/tokens/<nid:token_id>",
        MyTokensViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="me-token",
    ),
    path(
        "roles/<nid:role_id>/users",
        RoleUsersViewSet.as_view({"get": "list", "post": "create"}),
        name="role-users",
    ),
]
