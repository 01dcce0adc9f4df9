"""The background work in the admin: the task queue (queued, running, failed, retried) and the
events the outbox holds, for whoever runs the shop."""

from django.contrib import admin
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult, get_date_max

from niagara.access import access_for
from niagara.admin_base import NiagaraModelAdmin, ReadOnlyAdminMixin

from .models import Event


class ShopAdministratorsOnly:
    """The queue and the outbox are the shop's machinery: its administrators read them."""

    def has_view_permission(self, request, obj=None):
        return access_for(request).may_administer_users()

    def has_module_permission(self, request):
        return self.has_view_permission(request)


class TaskAdmin(ShopAdministratorsOnly, ReadOnlyAdminMixin, NiagaraModelAdmin):
    shop_wide = True
    list_display = ["task", "status", "enqueued_at", "run_after_shown", "finished_at", "retry"]
    list_filter = ["status", "queue_name"]
    search_fields = ["task_path", "id"]
    ordering = ["-enqueued_at"]
    fields = [
        "id",
        "task_path",
        "status",
        "args_kwargs",
        "enqueued_at",
        "run_after_shown",
        "started_at",
        "finished_at",
        "worker_ids",
        "return_value",
        "failure",
    ]
    readonly_fields = fields

    @admin.display(description="Task", ordering="task_path")
    def task(self, row):
        return row.task_path.rsplit(".", 1)[-1].replace("_", " ")

    @admin.display(description="Run after")
    def run_after_shown(self, row):
        return "" if row.run_after == get_date_max() else row.run_after

    @admin.display(description="Retry", boolean=True)
    def retry(self, row):
        """A delivery attempted again later (its schedule's next try)."""
        return row.task_path.endswith(".deliver") and row.run_after != get_date_max()

    @admin.display(description="Failure")
    def failure(self, row):
        return format_html("<pre>{}</pre>", row.traceback) if row.traceback else "-"


admin.site.replace(DBTaskResult, TaskAdmin)


@admin.register(Event)
class EventAdmin(ShopAdministratorsOnly, ReadOnlyAdminMixin, NiagaraModelAdmin):
    graph_through = "customer"
    list_display = ["type", "entity_id", "customer", "occurred", "dispatched"]
    list_select_related = ["customer"]
    list_filter = ["type"]
    search_fields = ["entity_id", "public_id"]
    ordering = ["-id"]
    fields = ["public_id", "type", "entity_id", "customer", "data", "occurred", "dispatched"]
    readonly_fields = fields
