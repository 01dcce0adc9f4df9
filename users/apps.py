from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Users and API tokens"

    def ready(self):
        from .api import schema  # noqa: F401  (registers the OpenAPI authentication scheme)
