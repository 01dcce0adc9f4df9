"""How statuses and custom fields look in the admin, wherever they are shown."""

import json

from django.contrib import admin
from django.utils.html import format_html

from niagara.admin_forms import PrettyJSONWidget

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


class InputFilterWidget(PrettyJSONWidget):
    """Custom fields (``input_filter``): the JSON for power users, and beside it a table that
    reads it back (key, label, filters, validators, locked, value)."""

    template_name = "customers/widgets/input_filter.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            fields = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            fields = None
        rows = [
            {
                "key": field.get("key", ""),
                "label": field.get("label", ""),
                "filters": ", ".join(str(f.get("type", "?")) for f in field.get("filters") or []),
                "validators": ", ".join(
                    str(v.get("type", "?")) for v in field.get("validators") or []
                ),
                "locked": bool(field.get("locked")),
                "value": field.get("value"),
            }
            for field in fields or []
            if isinstance(field, dict)
        ]
        context["widget"]["rows"] = rows
        return context


class CustomFieldsAdminMixin:
    """For the admins of entities with custom fields: their editor reads back as a table."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "input_filter":
            kwargs["widget"] = InputFilterWidget
            kwargs.setdefault(
                "help_text",
                "A list of fields: each {key, label, filters, validators} with optional locked, "
                'description and value. Keys are lower-case words joined by "_" '
                "(^[a-z0-9]+(?:_[a-z0-9]+)*$); labels are not empty.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
