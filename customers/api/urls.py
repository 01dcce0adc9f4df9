from django.urls import path

from .views import (
    ContactViewSet,
    CustomerContactViewSet,
    CustomerProgramsViewSet,
    CustomerProjectsViewSet,
    CustomerViewSet,
    MeCustomersViewSet,
    ProgramProjectsViewSet,
    ProgramViewSet,
    ProjectViewSet,
    SettingsStatusesViewSet,
)

routes = [
    ("customers", CustomerViewSet, "customer"),
    ("programs", ProgramViewSet, "program"),
    ("projects", ProjectViewSet, "project"),
    ("contacts", ContactViewSet, "contact"),
]

LIST = {"get": "list"}

urlpatterns = [
    path("me/customers", MeCustomersViewSet.as_view(LIST), name="me-customers"),
    path(
        "settings/statuses",
        SettingsStatusesViewSet.as_view({"get": "statuses", "post": "add"}),
        name="settings-statuses",
    ),
    path(
        "customers/<nid:customer_id>/contacts",
        CustomerContactViewSet.as_view({"get": "list", "post": "create"}),
        name="customer-contacts",
    ),
    path(
        "customers/<nid:customer_id>/contacts/<nid:contact_id>",
        CustomerContactViewSet.as_view({"get": "retrieve"}),
        name="customer-contact",
    ),
    path(
        "customers/<nid:customer_id>/programs",
        CustomerProgramsViewSet.as_view(LIST),
        name="customer-programs",
    ),
    path(
        "customers/<nid:customer_id>/projects",
        CustomerProjectsViewSet.as_view(LIST),
        name="customer-projects",
    ),
    path(
        "programs/<nid:program_id>/projects",
        ProgramProjectsViewSet.as_view(LIST),
        name="program-projects",
    ),
]
