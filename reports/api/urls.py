from django.urls import path

from .views import ReportingViewSet

routes = []

urlpatterns = [
    path("fields", ReportingViewSet.as_view({"get": "all_fields"}), name="fields"),
    path("fields/<str:entity_type>", ReportingViewSet.as_view({"get": "fields"}), name="fields-of"),
    path(
        "reports",
        ReportingViewSet.as_view({"get": "list", "post": "create"}),
        name="report-list",
    ),
    path(
        "reports/<nid:report_id>",
        ReportingViewSet.as_view({"get": "retrieve"}),
        name="report-detail",
    ),
    path(
        "reports/<nid:report_id>/download",
        ReportingViewSet.as_view({"get": "download"}),
        name="report-download",
    ),
    path("metrics", ReportingViewSet.as_view({"post": "metrics"}), name="metrics"),
]
