"""Runs in the admin: the list of contexts (read-only: runs move by their steps) and the
technician's station, served under it."""

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportMixin

from niagara.admin_base import NiagaraModelAdmin, ReadOnlyAdminMixin
from niagara.display import duration, outcome
from niagara.exports import PeopleExportMixin

from . import admin_operator, admin_station, admin_trace
from .models import Context
from .selectors import steps_with_closers


def _flattened(data: dict, prefix: str = ""):
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flattened(value, f"{name} / ")
        elif isinstance(value, list):
            yield name, ", ".join(str(item) for item in value)
        else:
            yield name, "" if value is None else str(value)


@admin.register(Context)
class ContextAdmin(ReadOnlyAdminMixin, PeopleExportMixin, ExportMixin, NiagaraModelAdmin):
    """Every run: which device, which workflow version, where it is and how it went. Runs are
    stepped at the station (or ``PATCH /contexts/{id}/{step}``), not edited here."""

    list_display = ["label", "state", "current_step", "unit", "batch", "started_at", "ended_at"]
    list_filter = ["state"]
    search_fields = ["label", "unit__raw_serial_number", "unit__serial_number"]
    list_select_related = ["unit", "batch", "work_flow_version"]
    readonly_fields = [
        "label",
        "state",
        "work_flow_version",
        "unit",
        "batch",
        "cycle",
        "current_step",
        "started_at",
        "ended_at",
        "started_by",
        "steps_taken",
        "entered",
    ]
    fields = readonly_fields

    def has_module_permission(self, request):
        return admin_station.access_for(request).may_somewhere("context:read")

    def has_view_permission(self, request, obj=None):
        return admin_station.access_for(request).may_somewhere("context:read")

    @admin.display(description="current step")
    def current_step(self, run):
        steps = run.work_flow_version.steps
        return ", ".join(steps[key].get("label", key) for key in run.current_steps) or "—"

    @admin.display(description="Data entered")
    def entered(self, run):
        """What the run's forms wrote (``$.imei``…), a row per value, nested ones by path."""
        rows = list(_flattened(run.data or {}))
        if not rows:
            return "—"
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description="steps taken")
    def steps_taken(self, run):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    step["label"],
                    outcome(step["type"]),
                    duration(step["time_to_run"]),
                    step["closed_by_name"],
                    step.get("message", ""),
                )
                for step in steps_with_closers(run)
            ),
        )
        return format_html(
            "<table><tr><th>Step</th><th>Result</th><th>Took</th><th>By</th><th>Why</th></tr>"
            "{}</table>",
            rows,
        )

    def get_urls(self):
        site = self.admin_site

        def view(function):
            return site.admin_view(
                lambda request, *args, **kwargs: function(site, request, *args, **kwargs)
            )

        return [
            path("station/", view(admin_station.station_view), name="engine_station"),
            path(
                "station/batch/<int:batch_id>/take/",
                view(admin_station.take_view),
                name="engine_station_take",
            ),
            path(
                "station/run/<int:run_id>/", view(admin_station.run_view), name="engine_station_run"
            ),
            path(
                "station/run/<int:run_id>/document/<str:attachment_id>/",
                view(admin_station.document_view),
                name="engine_station_document",
            ),
            path(
                "station/run/<int:run_id>/note/",
                view(admin_station.note_view),
                name="engine_station_note",
            ),
            path("station/scan/", view(admin_station.scan_view), name="engine_station_scan"),
            path("station/switch/", view(admin_operator.switch_view), name="engine_station_switch"),
            path(
                "station/device/<int:unit_id>/",
                view(admin_trace.trace_view),
                name="engine_device_trace",
            ),
            path(
                "station/cycle/<int:cycle_id>/<str:action>/",
                view(admin_station.cycle_action_view),
                name="engine_station_cycle",
            ),
            *super().get_urls(),
        ]
