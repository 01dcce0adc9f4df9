from django.apps import AppConfig


class NiagaraConfig(AppConfig):
    name = "niagara"
    verbose_name = "Niagara"

    def ready(self):
        from django.urls import register_converter

        from .api import schema  # noqa: F401  (registers the OpenAPI extensions)
        from .api.converters import PublicIdConverter

        register_converter(PublicIdConverter, "nid")
