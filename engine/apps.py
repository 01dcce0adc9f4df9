from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "engine"
    verbose_name = "Workflow runs"

    def ready(self):
        from django.contrib import admin

        from . import selectors  # noqa: F401  (registers who may read runs)
        from .admin_station import triage_panel

        # Managers triage the blocked units from the cockpit.
        admin.site.register_panel(triage_panel)
