from django.urls import path

from .views import ContactViewSet, CustomerContactViewSet, CustomerViewSet

routes = [
    ("customers", CustomerViewSet, "customer"),
    ("contacts", ContactViewSet, "contact"),
]

urlpatterns = [
    path(
        "customers/<nid:customer_id>/contacts",
        CustomerContactViewSet.as_view({"get": "list", "post": "create"}),
        name="customer-contacts",
    ),
]
