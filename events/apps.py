from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from .services import record_entity_change

        # Every change of a registered entity is an event, written by the history record of
        # the change (same transaction).
        post_create_historical_record.connect(record_entity_change, dispatch_uid="events-entity")
