"""A work order's progress: how many of its units are complete, as an expression on work
order rows (the admin's list shows "12 / 500 complete" on every row).

Counting a work order's cycles on every row of a page read a thousand cycles a row at a
250,000-batch floor (46 ms a page, growing with the floor). The app that holds the cycles keeps
their counts (``batches.tallies``) and registers a cheaper expression from ``ready()``; without
one, the cycles are counted.
"""

from collections.abc import Callable

from django.db.models import Count, Expression, OuterRef, Q, Subquery

from customers.statuses import StatusCategory

_complete_units: Callable[[], Expression] | None = None


def register_complete_units(expression: Callable[[], Expression]) -> None:
    """Have ``expression()`` say a work order row's complete units (called from ready())."""
    global _complete_units
    _complete_units = expression


def complete_units() -> Expression:
    """The number of a work order row's cycles in a COMPLETE category."""
    if _complete_units is not None:
        return _complete_units()
    from .models import WorkOrder

    complete = WorkOrder.objects.filter(pk=OuterRef("pk")).annotate(
        n=Count("cycles", filter=Q(cycles__category=StatusCategory.COMPLETE))
    )
    return Subquery(complete.values("n")[:1])
