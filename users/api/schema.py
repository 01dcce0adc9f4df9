"""How the OpenAPI schema says callers authenticate: a bearer token, personal or OAuth2."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from ..permission_graph import GRAPH


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "users.api.authentication.BearerAuthentication"
    name = ["tokenAuth", "oauth2"]

    def get_security_requirement(self, auto_schema):
        # Either one (a list of requirements is an "or").
        return [{"tokenAuth": []}, {"oauth2": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal token (`manage.py create_token`) or an OAuth2 "
                "access token.",
            },
            {
                "type": "oauth2",
                "description": "Integrations: client credentials from "
                "`manage.py create_api_client`. Scopes are the permission graph's "
                "permissions; none asked for, all of the client's user's.",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/oauth/token/",
                        "scopes": {name: p.description for name, p in GRAPH.items()},
                    }
                },
            },
        ]
