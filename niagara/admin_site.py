"""The admin site: its home is the cockpit, made of panels the apps register."""

from collections.abc import Callable

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

# A panel: ``panel(request) -> {"title", "template", …context}``, or None to show nothing.
Panel = Callable[..., dict | None]


class NiagaraAdminSite(admin.AdminSite):
    site_header = "Niagara production management"
    site_title = "Niagara admin"
    index_title = "The floor today"
    # "View site" leads to the cockpit: the admin is where the floor runs.
    site_url = "/admin/"
    index_template = "admin/dashboard.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.panels: list[Panel] = []

    def register_panel(self, panel: Panel) -> None:
        """Show ``panel`` on the cockpit (call it from an app's ready())."""
        if panel not in self.panels:
            self.panels.append(panel)

    def index(self, request, extra_context=None):
        panels = [shown for panel in self.panels if (shown := panel(request)) is not None]
        return super().index(request, {"panels": panels, **(extra_context or {})})

    def get_urls(self):
        models = self.admin_view(self.models_view)
        return [path("models/", models, name="models"), *super().get_urls()]

    def models_view(self, request):
        """The stock list of every model, one click from the cockpit."""
        context = {
            **self.each_context(request),
            "title": "Everything in Niagara",
            "subtitle": None,
            "app_list": self.get_app_list(request),
        }
        return TemplateResponse(request, "admin/index.html", context)
