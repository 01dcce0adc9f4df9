"""Reads for the cockpit (the admin's home): what a manager starts the day with.

Every panel reads through one of these, given the caller's ``Access``: each shows what the
caller may read (a manager of one customer sees that customer's floor), and costs a fixed
number of queries, whatever the rows.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Func, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.statuses import ACTIVE_CATEGORIES, COUNTERS, StatusCategory
from queues.selectors import queues_for_display
from relations.models import Relation, RelationType
from users.models import User
from workorders.models import WorkOrder

from .models import Batch, Cycle, FloorTally, TechTally
from .selectors import floor_tally_rows, tally_condition

DUE_SOON = datetime.timedelta(days=7)
PACE_WINDOW = datetime.timedelta(days=7)
OPEN = [c for c in StatusCategory.values if c in ACTIVE_CATEGORIES]
ACTIVE = OPEN


def floor_queues(access) -> list:
    """Every queue with its counters and its cycles by category (``by_category``)."""
    queues = list(access.visible(queues_for_display(access)).order_by("-priority", "id"))
    # The numbers (counters) and the bars (cycles by category) count the same rows: what the
    # viewer may read, from the floor tallies.
    rows = floor_tally_rows(access, queue__in=[queue.pk for queue in queues])
    by_queue: dict[int, dict[str, int]] = {}
    for row in rows:
        counted = by_queue.setdefault(row["queue"], dict.fromkeys(COUNTERS.values(), 0))
        for name, category in COUNTERS.items():
            counted[category] += row[name] or 0
    for queue in queues:
        queue.by_category = by_queue.get(queue.pk, dict.fromkeys(COUNTERS.values(), 0))
    return queues


@dataclass
class Schedule:
    """Open work orders with a due date, sorted into the cockpit's three lists."""

    due_soon: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)


def work_order_schedule(access, *, now: datetime.datetime | None = None) -> Schedule:
    """Sort the open work orders: due in the next 7 days, overdue, and at risk.

    At risk: an open work order past its begin date, not yet due, whose remaining cycles at the
    pace of the last 7 days (cycles completed per day) would finish after its due date; no
    completion in those 7 days is no pace at all. One query for the three lists.
    """
    now = now or timezone.now()
    cycles = Cycle.objects.filter(work_order=OuterRef("pk")).order_by().values("work_order")
    # Completed cycles from the floor tallies (a work order's counters count all of it); the
    # last week's from the cycles, by the (work order, category, updated) index.
    tallied = FloorTally.objects.filter(work_order=OuterRef("pk")).order_by().values("work_order")
    recent = cycles.filter(category=StatusCategory.COMPLETE, updated__gte=now - PACE_WINDOW)
    work_orders = (
        access.visible(WorkOrder.objects.all())
        .filter(current_status__category__in=OPEN, due_date__isnull=False)
        .select_related("project__program__customer")
        .annotate(
            needed=Coalesce(Sum("lines__needed"), 0),
            complete=Coalesce(Subquery(tallied.annotate(n=Sum("complete")).values("n")), 0),
            # COUNT(*): the index holds every column the count reads (an index-only scan).
            recent=Coalesce(Subquery(recent.annotate(n=Count("*")).values("n")), 0),
        )
        .order_by("due_date", "id")
    )
    schedule = Schedule()
    for work_order in work_orders:
        remaining = work_order.needed - work_order.complete
        pace = work_order.recent / PACE_WINDOW.days  # cycles a day
        work_order.forecast = (
            now + datetime.timedelta(days=remaining / pace) if pace and remaining > 0 else None
        )
        if remaining <= 0:
            continue
        if work_order.due_date < now:
            schedule.overdue.append(work_order)
            continue
        if work_order.due_date <= now + DUE_SOON:
            schedule.due_soon.append(work_order)
        started = work_order.begin_date is None or work_order.begin_date <= now
        late = work_order.forecast is None or work_order.forecast > work_order.due_date
        if started and late:
            schedule.at_risk.append(work_order)
    return schedule


def blocked_by_work_order(access, *, limit: int | None = None) -> tuple[list[dict], int, int]:
    """Blocked cycles the viewer may read, counted by work order (most first), from the floor
    tallies: the first ``limit`` work orders (all without one), how many work orders have
    blocked cycles, and how many cycles are blocked in all."""
    blocked: dict[int, int] = {}
    for row in floor_tally_rows(access):
        if row["blocked"]:
            blocked[row["work_order"]] = blocked.get(row["work_order"], 0) + row["blocked"]
    # Most blocked first, then the oldest work order: the page's rows are chosen before any
    # label is read.
    ranked = sorted(blocked.items(), key=lambda item: (-item[1], item[0]))[:limit]
    labels = dict(
        WorkOrder.objects.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", "label")
    )
    rows = [{"work_order": pk, "work_order_label": labels[pk], "blocked": n} for pk, n in ranked]
    return rows, len(blocked), sum(blocked.values())


def own_workload(user) -> list:
    """The viewer's own line of the workload (a technician's: the batches assigned to them are
    exactly theirs to read), from their technician tallies."""
    active = TechTally.objects.filter(user=user, batches__gt=0).aggregate(n=Sum("open_cycles"))
    if active["n"] is None:
        return []
    user.active = active["n"]
    return [user]


def technician_workload(access) -> list:
    """Technicians with the active cycles of the batches they are assigned to (``active``),
    of the batches the caller may read: one query over the technician tallies where the
    caller's reading is a matter of queues and work orders, else over the batches they read,
    counted by the database (never the (technician, batch) pairs read into Python)."""
    condition = tally_condition(access)
    if condition is not None:
        rows = (
            TechTally.objects.filter(condition, batches__gt=0)
            .values("user")
            .annotate(active=Sum("open_cycles"))
            .values_list("user", "active")
            .order_by()
        )
        active = dict(rows)
        people = list(User.objects.filter(pk__in=active).order_by("username"))
        for person in people:
            person.active = active[person.pk]
        return people
    user_type = ContentType.objects.get_for_model(User)
    batch_type = ContentType.objects.get_for_model(Batch)
    assigned = Relation.objects.filter(
        relation=RelationType.TECH, subject_type=user_type, object_type=batch_type
    )
    readable = access.visible(Batch.objects.all()).values("pk")
    # The technician is the row of the outermost query (two levels up).
    theirs = assigned.filter(subject_id=OuterRef(OuterRef("pk"))).values("object_id")
    active = (
        access.visible(Cycle.objects.filter(category__in=ACTIVE, batch__in=theirs))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return list(
        User.objects.filter(pk__in=assigned.filter(object_id__in=readable).values("subject_id"))
        .annotate(active=Coalesce(Subquery(active), 0))
        .order_by("username")
    )
