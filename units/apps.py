from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "Parts and units"

    def ready(self):
        from customers.models import register_status_users

        from .selectors import units_losing_status

        # A customer may not drop a status its units still carry.
        register_status_users(units_losing_status)
