from django.urls import path

from .views import AttachmentUploadViewSet, AttachmentViewSet

routes = []

urlpatterns = [
    path(
        "attachments",
        AttachmentViewSet.as_view({"get": "list", "post": "create"}),
        name="attachment-list",
    ),
    path(
        "attachments/<nid:attachment_id>",
        AttachmentViewSet.as_view({"get": "retrieve"}),
        name="attachment-detail",
    ),
    path(
        "attachments/<nid:attachment_id>/download",
        AttachmentViewSet.as_view({"get": "download"}),
        name="attachment-download",
    ),
    path(
        "attachments/<nid:attachment_id>/upload",
        AttachmentUploadViewSet.as_view({"put": "upload"}),
        name="attachment-upload",
    ),
]
