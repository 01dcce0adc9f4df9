from django.apps import AppConfig


class RegistryAppConfig(AppConfig):
    """A stand-in for the next domain app, proving registration is all it takes."""

    name = "tests.registry_app"
    label = "registry_app"
