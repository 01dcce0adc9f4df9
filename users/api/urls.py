from django.urls import path

from .views import MeView, UserViewSet

routes = [("users", UserViewSet, "user")]

urlpatterns = [path("me", MeView.as_view(), name="me")]
