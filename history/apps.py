from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = "Change history"

    def ready(self):
        from simple_history.signals import (
            post_create_historical_record,
            pre_create_historical_record,
        )

        from relations.registry import entities

        from .services import note_requestor, record_diffs, remove_diffs_of

        pre_create_historical_record.connect(note_requestor, dispatch_uid="history-requestor")
        post_create_historical_record.connect(record_diffs, dispatch_uid="history-record-diffs")
        entities.on_delete(remove_diffs_of)
