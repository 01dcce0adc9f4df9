from django.urls import path

from .views import NoteViewSet, UnitNotesViewSet, WorkOrderNotesViewSet

routes = []

LIST_AND_CREATE = {"get": "list", "post": "create"}

urlpatterns = [
    path(
        "notes/<nid:note_id>",
        NoteViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="note-detail",
    ),
    path(
        "units/<nid:unit_id>/notes",
        UnitNotesViewSet.as_view(LIST_AND_CREATE),
        name="unit-notes",
    ),
    path(
        "work-orders/<nid:work_order_id>/notes",
        WorkOrderNotesViewSet.as_view(LIST_AND_CREATE),
        name="work-order-notes",
    ),
]
