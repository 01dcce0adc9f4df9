from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions and notifications"

    def ready(self):
        from django.contrib import admin

        from events.services import listen

        from .admin import unread_link
        from .services import run_actions

        # Before the webhooks' listener: a ``before`` action's effects are made before the
        # event's other listeners hear of it.
        listen(run_actions, first=True)
        admin.site.register_header_link(unread_link)
