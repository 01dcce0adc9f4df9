from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a newcomer (``manage.py seed_demo``): the top layer, it uses every app."""

    name = "demo"
    verbose_name = "Demo data"
