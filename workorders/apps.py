from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "workorders"
    verbose_name = "Work orders and workflows"

    def ready(self):
        from customers.models import register_status_users
        from niagara.exchange import register_kind

        from .resources import WorkOrderResource
        from .selectors import work_orders_losing_status

        # A customer, program or project may not drop a status its work orders still use.
        register_status_users(work_orders_losing_status)
        register_kind("work-orders", WorkOrderResource, importable=True)
