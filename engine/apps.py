from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "engine"
    verbose_name = "Workflow runs"

    def ready(self):
        from django.contrib import admin

        from batches.selectors import register_run_columns
        from batches.services import register_on_cancel

        from . import selectors  # noqa: F401  (registers who may read runs)
        from .admin_station import qc_panel, triage_panel
        from .selectors import cycle_run_columns
        from .services import end_cancelled_runs

        # Managers triage the blocked units from the cockpit.
        admin.site.register_panel(triage_panel)
        # Whoever does QC (and the managers) see the devices waiting for it.
        admin.site.register_panel(qc_panel)
        # A cycle cancelled by its status (API, admin, bulk) ends its run.
        register_on_cancel(end_cancelled_runs)
        # A cycle's page answers its latest run and who started it (the docs' fields).
        register_run_columns(cycle_run_columns)
