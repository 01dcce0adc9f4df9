"""Admin lists over millions of rows: counts that cost a page, not the table.

Django's changelist counts its rows twice per page (the filtered rows for the paginator, and
every row for "N total"), and each count reads every matching row: ~1 s for a million batches.
Niagara's lists skip the second count (``show_full_result_count = False``) and count the first
exactly only up to ``EXACT_UP_TO`` rows; past that the total shown is PostgreSQL's planner
estimate of the same query ("about 1,000,000"), which reads no rows. SQLite (one small floor)
has no estimate and counts exactly.
"""

import json

from django.core.paginator import Paginator
from django.db import DatabaseError, connections
from django.utils.functional import cached_property

EXACT_UP_TO = 10_000


class EstimatedCountPaginator(Paginator):
    """A paginator whose ``count`` is exact up to ``EXACT_UP_TO`` rows and estimated past it
    (``estimated`` says which)."""

    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        bounded = queryset.order_by()[: EXACT_UP_TO + 1].count()
        if bounded <= EXACT_UP_TO:
            return bounded
        estimate = _planner_rows(queryset) if _is_postgresql(queryset) else None
        if estimate is None:
            return super().count  # no estimate to give: count them all
        self.estimated = True
        return max(estimate, EXACT_UP_TO + 1)


def _is_postgresql(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _planner_rows(queryset) -> int | None:
    """The rows PostgreSQL's planner expects ``queryset`` to return (``EXPLAIN``, not run)."""
    try:
        plan = json.loads(queryset.order_by().explain(format="json"))
    except (DatabaseError, ValueError, TypeError):
        return None
    return int(plan[0]["Plan"]["Plan Rows"])
