"""OAuth2 for integrators: scopes are the permission graph's permissions."""

from oauth2_provider.scopes import BaseScopes

from .permission_graph import GRAPH


class GraphScopes(BaseScopes):
    """Every graph permission is a scope (``customer:read``, ``batch:create``…). A client that
    asks for none gets them all: it may then do what its user may, no more."""

    def get_all_scopes(self):
        return {name: permission.description for name, permission in GRAPH.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(GRAPH)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return list(GRAPH)
