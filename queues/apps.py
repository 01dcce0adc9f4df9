from django.apps import AppConfig


class QueuesConfig(AppConfig):
    name = "queues"
    verbose_name = "Locations and production queues"

    def ready(self):
        from import_export.resources import modelresource_factory

        from niagara.exchange import register_kind

        from .models import Location, Queue

        register_kind("locations", modelresource_factory(Location))
        register_kind("queues", modelresource_factory(Queue))
