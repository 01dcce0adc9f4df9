from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "batches"
    verbose_name = "Batches and cycles"

    def ready(self):
        from django.contrib import admin
        from import_export.resources import modelresource_factory

        from niagara.exchange import register_kind
        from queues.counters import register_queue_counters
        from workorders.progress import register_complete_units

        from . import visibility  # noqa: F401  (who reads cycles and cycled units)
        from .admin_cockpit import PANELS
        from .models import Cycle
        from .resources import BatchResource
        from .selectors import complete_units_of_work_order, set_queue_counters

        # A queue's counters are aggregates of the batches and cycles this app holds.
        register_queue_counters(set_queue_counters)
        # So is a work order's progress: from the tallies, a few rows a work order.
        register_complete_units(complete_units_of_work_order)
        # The floor is what the cockpit (the admin's home) shows.
        for panel in PANELS:
            admin.site.register_panel(panel)
        register_kind("batches", BatchResource, importable=True)
        register_kind("cycles", modelresource_factory(Cycle))
