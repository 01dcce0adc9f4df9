from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers and contacts"

    def ready(self):
        from import_export.resources import modelresource_factory

        from niagara.exchange import register_kind

        from .models import Program
        from .resources import CustomerResource, ProjectResource

        register_kind("customers", CustomerResource, importable=True)
        register_kind("programs", modelresource_factory(Program))
        register_kind("projects", ProjectResource, importable=True)
