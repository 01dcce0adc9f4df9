"""The admin site: its home is the cockpit, made of panels the apps register."""

from collections.abc import Callable

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

# A panel: ``panel(request) -> {"title", "template", …context}``, or None to show nothing.
Panel = Callable[..., dict | None]

# The sidebar and the models page in the order of the day's work: the floor first, the
# catalogue and the customers next, people, access and API plumbing (tokens, OAuth) last.
# Within an app, the models named come first, in this order; the rest follow alphabetically.
APP_ORDER = {
    "queues": ["queue", "location", "resource", "subresource"],
    "workorders": ["workorder", "workflow"],
    "batches": ["batch", "cycle"],
    "engine": [],
    "notes": [],
    "attachments": [],
    "units": ["unit", "part", "manufacturer", "vendor"],
    "customers": ["customer", "program", "project", "contact", "shopsettings"],
    "relations": [],
    "actions": ["action", "notification"],
    "webhooks": ["webhook", "delivery"],
    "events": ["event"],
    "django_tasks_database": [],
    "users": ["user", "role", "operatorswitch", "personaltoken"],
    "axes": [],
    "auth": [],
    "oauth2_provider": [],
}


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
        self.header_links: list[Panel] = []
        self.search_view = None

    def register_header_link(self, link: Panel) -> None:
        """Show ``link(request) -> {"label", "url", "title"}`` (or None) in every page's
        header, beside the viewer's own links (call it from an app's ready())."""
        if link not in self.header_links:
            self.header_links.append(link)

    def register(self, model_or_iterable, admin_class=None, **options):
        # A library's own admin of a model Niagara shows its own way (the task queue) is left
        # out: Niagara's registers it with ``replace``.
        models = (
            model_or_iterable
            if isinstance(model_or_iterable, list | tuple)
            else [model_or_iterable]
        )
        if any(
            getattr(model, "_niagara_admin", None) not in (None, admin_class) for model in models
        ):
            return
        super().register(model_or_iterable, admin_class, **options)

    def replace(self, model, admin_class) -> None:
        """Register ``admin_class`` for ``model`` in place of any admin a library gives it."""
        model._niagara_admin = admin_class
        if self.is_registered(model):
            self.unregister(model)
        super().register(model, admin_class)

    def register_search(self, view) -> None:
        """Serve ``view(request)`` at ``search/`` (``admin:search``) and show the header's
        search box that leads there (call it from the searching app's ready())."""
        self.search_view = view

    def each_context(self, request):
        context = super().each_context(request)
        context["has_search"] = self.search_view is not None
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            context["header_links"] = [
                shown for link in self.header_links if (shown := link(request)) is not None
            ]
        return context

    def register_panel(self, panel: Panel) -> None:
        """Show ``panel`` on the cockpit (call it from an app's ready())."""
        if panel not in self.panels:
            self.panels.append(panel)

    def index(self, request, extra_context=None):
        panels = [shown for panel in self.panels if (shown := panel(request)) is not None]
        return super().index(request, {"panels": panels, **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        known = list(APP_ORDER)
        apps.sort(
            key=lambda app: known.index(app["app_label"]) if app["app_label"] in known else 99
        )
        for app in apps:
            first = APP_ORDER.get(app["app_label"], [])
            app["models"].sort(
                key=lambda model: (
                    first.index(model["object_name"].lower())
                    if model["object_name"].lower() in first
                    else len(first),
                    model["name"],
                )
            )
        return apps

    def get_urls(self):
        models = self.admin_view(self.models_view)
        urls = [path("models/", models, name="models")]
        if self.search_view is not None:
            urls.append(path("search/", self.admin_view(self.search_view), name="search"))
        return [*urls, *super().get_urls()]

    def models_view(self, request):
        """The stock list of every model, one click from the cockpit."""
        context = {
            **self.each_context(request),
            "title": "Everything in Niagara",
            "subtitle": None,
            "app_list": self.get_app_list(request),
        }
        return TemplateResponse(request, "admin/index.html", context)
