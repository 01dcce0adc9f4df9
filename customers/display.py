"""How statuses and custom fields look in the admin, wherever they are shown."""

from django.contrib import admin
from django.utils.html import format_html

from .admin_custom_fields import CustomFieldsWidget
from .statuses import StatusCategory

CATEGORY_COLOURS = {
    StatusCategory.PENDING: "#6c757d",
    StatusCategory.IN_PROGRESS: "#0d6efd",
    StatusCategory.VERIFYING: "#6f42c1",
    StatusCategory.BLOCKED: "#dc3545",
    StatusCategory.COMPLETE: "#198754",
    StatusCategory.CANCELLED: "#adb5bd",
}


def status_badge(status: dict | None) -> str:
    """Return a status as a coloured dot, its label and its category."""
    status = status or {}
    return format_html(
        '<span style="color:{};font-weight:bold">●</span> {} <small>({})</small>',
        CATEGORY_COLOURS.get(status.get("category"), "#000"),
        status.get("status", "—"),
        status.get("category", "—"),
    )


class StatusCategoryFilter(admin.SimpleListFilter):
    """Rows whose ``current_status`` is of one category."""

    title = "status category"
    parameter_name = "status_category"

    def lookups(self, request, model_admin):
        return StatusCategory.choices

    def queryset(self, request, queryset):
        if self.value() in StatusCategory.values:
            return queryset.filter(current_status__category=self.value())
        return queryset


class CustomFieldsAdminMixin:
    """For the admins of entities with custom fields: their editor reads back as a table."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "input_filter":
            kwargs["widget"] = CustomFieldsWidget
            kwargs.setdefault("label", "Custom fields")
            kwargs.setdefault(
                "help_text",
                "The fields of the shop's own this record carries (and passes on to what is "
                'below it). Keys are lower-case words joined by "_".',
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
