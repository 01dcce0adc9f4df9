from django.urls import path

from .views import MeView, RoleUsersViewSet, RoleViewSet, UserViewSet

routes = [("users", UserViewSet, "user"), ("roles", RoleViewSet, "role")]

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    path(
        "roles/<nid:role_id>/users",
        RoleUsersViewSet.as_view({"get": "list", "post": "create"}),
        name="role-users",
    ),
]
