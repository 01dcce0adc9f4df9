from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = "Relations"

    def ready(self):
        from .registry import entities
        from .services import remove_relations_of

        entities.on_delete(remove_relations_of)
