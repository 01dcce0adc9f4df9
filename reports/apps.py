from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from django.contrib import admin

        from .cockpit import metrics_panel

        admin.site.register_panel(metrics_panel)
