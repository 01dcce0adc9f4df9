from django.apps import AppConfig

from relations.registry import entities


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = "Files"

    def ready(self):
        from . import selectors, services  # noqa: F401  (registers who may read files)

        # Deleting an entity takes the files attached to it alone (never orphans): read before
        # its relations are removed.
        entities.on_delete(services.files_of_deleted_entity, first=True)
