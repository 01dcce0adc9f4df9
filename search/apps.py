from django.apps import AppConfig
from django.contrib import admin


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from .admin import search_view

        admin.site.register_search(lambda request: search_view(request, admin.site))
