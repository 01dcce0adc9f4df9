from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from events.services import listen
        from events.tasks import on_sweep

        from .services import deliveries_for, resume_lost_deliveries

        listen(deliveries_for)
        on_sweep(resume_lost_deliveries)
