"""Notes in the admin: read them where they are about, close the issues dealt with."""

from django.contrib import admin, messages
from import_export.admin import ExportMixin

from niagara.admin_base import NiagaraModelAdmin
from niagara.exports import PeopleExportMixin
from relations.admin_graph import GraphAdminMixin, GraphInlineMixin
from units.models import Unit
from workorders.models import WorkOrder

from . import services
from .models import Note


@admin.register(Note)
class NoteAdmin(GraphAdminMixin, PeopleExportMixin, ExportMixin, NiagaraModelAdmin):
    """Notes, as the graph says: ``note:read`` to look, ``note:update`` to close issues; each
    note is listed only where what it is about is readable."""

    list_display = ["label", "about", "issue", "closed", "created_by", "created"]
    list_filter = ["issue", "closed"]
    search_fields = ["label", "text", "unit__raw_serial_number", "work_order__label"]
    list_select_related = ["unit", "work_order", "created_by"]
    readonly_fields = ["label", "text", "unit", "work_order", "thread", "issue", "created_by"]
    fields = ["label", "text", "unit", "work_order", "thread", "issue", "closed", "created_by"]
    actions = ["close_issues", "reopen_issues"]

    def has_add_permission(self, request):
        return False  # notes are written where they are about: the station, the API

    def _decide(self, access, permission, verb, obj):
        # A note is read where what it is about is read (its list's rule): a unit's note has
        # no work order to hold ``note:read`` on.
        if verb == "read" and obj is not None:
            return access.may_somewhere(permission) and access.can_read(obj)
        return super()._decide(access, permission, verb, obj)

    @admin.display(description="about")
    def about(self, note):
        return note.unit or note.work_order

    def save_model(self, request, obj, form, change):
        services.issues_close(Note.objects.filter(pk=obj.pk), actor=request.user, closed=obj.closed)

    @admin.action(description="Close the selected issues", permissions=["change"])
    def close_issues(self, request, queryset):
        count = services.issues_close(queryset, actor=request.user)
        messages.success(request, f"{count} issue(s) closed.")

    @admin.action(description="Reopen the selected issues", permissions=["change"])
    def reopen_issues(self, request, queryset):
        count = services.issues_close(queryset, actor=request.user, closed=False)
        messages.success(request, f"{count} issue(s) reopened.")


class NoteInline(GraphInlineMixin, admin.TabularInline):
    """A unit's or a work order's notes on its page, newest first, read-only (notes are
    written at the station and over the API; a cancel's reason is one)."""

    model = Note
    fields = ["label", "text", "issue", "closed", "created_by", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-id"]
    verbose_name_plural = "notes"
    stored_only = True  # a unit or work order being added has none (not on the add page)

    def get_rows(self, request):
        return super().get_rows(request).select_related("created_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Notes show where they are about: the unit's and the work order's pages (apps below this one,
# whose admins cannot name notes).
for model in (Unit, WorkOrder):
    model_admin = admin.site._registry[model]
    model_admin.inlines = [*model_admin.inlines, NoteInline]
