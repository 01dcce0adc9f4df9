"""The runs' invariants, recomputed from the rows (part of ``manage.py check_integrity``)."""

from django.db.models import Count, F

from batches.models import Cycle
from batches.services import FINISHED

from .models import Context


def runs_out_of_line() -> list[str]:
    """A device is in at most one unfinished cycle, and a cycle's runs are of its device."""
    busy = (
        Cycle.objects.exclude(category__in=FINISHED)
        .filter(unit__isnull=False)
        .values("unit__public_id")
        .annotate(cycles=Count("pk"))
        .filter(cycles__gt=1)
    )
    problems = [
        f"unit {row['unit__public_id']}: in {row['cycles']} unfinished cycles" for row in busy
    ]
    strays = Context.objects.filter(cycle__isnull=False).exclude(unit=F("cycle__unit"))
    problems += [
        f"context {public_id}: runs on another unit than its cycle's"
        for public_id in strays.values_list("public_id", flat=True)
    ]
    return problems
