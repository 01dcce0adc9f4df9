"""The API router: documented paths without trailing slashes and a HAL index at the root."""

from rest_framework.routers import DefaultRouter

from . import rels
from .views import ApiRootView


class HalRouter(DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False

    def __init__(self, *, extra_links: dict[str, str] | None = None):
        super().__init__(trailing_slash=False)
        self.extra_links = extra_links or {}

    def get_api_root_view(self, api_urls=None):
        api_root_dict = {
            prefix: self.routes[0].name.format(basename=basename)
            for prefix, viewset, basename in self.registry
            if hasattr(viewset, "list")
        }
        for prefix in api_root_dict:
            rels.register(
                f"nter:{prefix}",
                f"In the API root: the {prefix.replace('-', ' ')} collection (a page; `POST` "
                "to it creates one where the API allows it).",
                f"/api/{prefix}",
            )
        return self.APIRootView.as_view(api_root_dict=api_root_dict, extra_links=self.extra_links)
