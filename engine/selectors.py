"""Reads of runs, shaped for what renders them."""

from django.db.models import QuerySet

from .models import Context


def contexts_for_display() -> QuerySet[Context]:
    """Runs with their version, workflow, unit and batch: one query a page."""
    return Context.objects.select_related("work_flow_version__work_flow", "unit", "batch").order_by(
        "id"
    )
