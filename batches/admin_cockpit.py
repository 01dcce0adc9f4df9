"""The cockpit's panels (the admin's home), each read through ``batches.cockpit``."""

from urllib.parse import urlencode

from django.urls import reverse

from customers.display import CATEGORY_COLOURS
from customers.statuses import StatusCategory
from niagara.access import access_for

from . import cockpit


def cycles_url(**filters) -> str:
    return f"{reverse('admin:batches_cycle_changelist')}?{urlencode(filters)}"


# A list of the schedule shows its first rows (the most urgent); the rest are counted.
SCHEDULE_ROWS = 15


def runs_the_floor(access) -> bool:
    """Whether the viewer reads batches by a role (a manager, of the shop or of a customer or
    site): the floor's panels are theirs. A technician reads the batches assigned to them; their
    home is the station, and the cockpit shows them their own workload."""
    return access.holds_anywhere("batch:read")


def queues_panel(request) -> dict | None:
    access = access_for(request)
    if not (access.may_somewhere("queue:read") and runs_the_floor(access)):
        return None
    rows = []
    for queue in cockpit.floor_queues(access):
        total = sum(queue.by_category.values())
        bar = [
            {
                "category": StatusCategory(category).label,
                "count": count,
                "width": 100 * count / total if total else 0,
                "colour": CATEGORY_COLOURS[category],
                "url": cycles_url(batch__queue__id__exact=queue.pk, category__exact=category),
            }
            for category, count in queue.by_category.items()
        ]
        rows.append({"queue": queue, "total": total, "bar": bar})
    legend = [
        {"category": category.label, "colour": CATEGORY_COLOURS[category]}
        for category in StatusCategory
    ]
    return {
        "title": "Queues",
        "template": "admin/cockpit/queues.html",
        "rows": rows,
        "legend": legend,
    }


def schedule_panel(request) -> dict | None:
    access = access_for(request)
    if not access.may_somewhere("work-order:read"):
        return None
    schedule = cockpit.work_order_schedule(access)
    lists = [
        ("Due in the next 7 days", schedule.due_soon),
        ("Overdue", schedule.overdue),
        ("At risk", schedule.at_risk),
    ]
    return {
        "title": "Work orders",
        "template": "admin/cockpit/schedule.html",
        "lists": [
            (heading, rows[:SCHEDULE_ROWS], len(rows), max(0, len(rows) - SCHEDULE_ROWS))
            for heading, rows in lists
        ],
        "work_orders_url": reverse("admin:workorders_workorder_changelist"),
        "pace_days": cockpit.PACE_WINDOW.days,
    }


def blocked_panel(request) -> dict | None:
    access = access_for(request)
    if not runs_the_floor(access):
        return None
    found, work_orders, cycles = cockpit.blocked_by_work_order(access, limit=SCHEDULE_ROWS)
    rows = [
        {
            **row,
            "url": cycles_url(category__exact="BLOCKED", work_order__id__exact=row["work_order"]),
        }
        for row in found
    ]
    return {
        "title": "Blocked cycles",
        "template": "admin/cockpit/blocked.html",
        "rows": rows,
        "work_orders": work_orders,
        "cycles": cycles,
        "more": work_orders - len(rows),
        "all_url": cycles_url(category__exact="BLOCKED"),
    }


def workload_panel(request) -> dict | None:
    access = access_for(request)
    if not access.may_somewhere("batch:read"):
        return None
    people = (
        cockpit.technician_workload(access)
        if runs_the_floor(access)
        else cockpit.own_workload(access.user)
    )
    rows = [
        {"user": user, "active": user.active, "url": cycles_url(technician=user.pk)}
        for user in people
    ]
    return {"title": "Technicians", "template": "admin/cockpit/workload.html", "rows": rows}


PANELS = [queues_panel, schedule_panel, blocked_panel, workload_panel]
