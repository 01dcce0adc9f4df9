from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = "Change history"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from relations.registry import entities

        from .services import record_diffs, remove_diffs_of

        post_create_historical_record.connect(record_diffs, dispatch_uid="history-record-diffs")
        entities.on_delete(remove_diffs_of)
