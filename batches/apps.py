from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "batches"
    verbose_name = "Batches and cycles"

    def ready(self):
        from queues.counters import register_queue_counters

        from .selectors import set_queue_counters

        # A queue's counters are aggregates of the batches and cycles this app holds.
        register_queue_counters(set_queue_counters)
