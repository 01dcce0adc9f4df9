from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = "Notes"

    def ready(self):
        from . import selectors  # noqa: F401  (registers who may read notes)
