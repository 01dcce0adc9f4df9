"""The cockpit: the admin's home, where a manager starts the day."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from batches.admin_cockpit import SCHEDULE_ROWS
from batches.models import Cycle
from batches.services import batches_create
from customers.display import CATEGORY_COLOURS
from relations.services import relation_create
from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days(n: float) -> str:
    return (NOW + datetime.timedelta(days=n)).isoformat()


def work_order(label, *, begin, due, needed=20, placed=10, complete=0, blocked=0, tech=None):
    order = make_work_order(
        label=label, begin_date=days(begin), due_date=days(due), cycles=[(needed, make_workflow())]
    )
    [batch] = batches_create(
        actor=None, work_order=order, queue=QueueFactory(label=f"Q {label}"), number_cycles=placed
    )
    cycles = list(batch.cycles.order_by("pk"))
    Cycle.objects.filter(pk__in=[c.pk for c in cycles[:complete]]).update(
        category="COMPLETE", current_status={"status": "Complete", "category": "COMPLETE"}
    )
    Cycle.objects.filter(pk__in=[c.pk for c in cycles[complete : complete + blocked]]).update(
        category="BLOCKED", current_status={"status": "Blocked", "category": "BLOCKED"}
    )
    if tech is not None:
        relation_create(subject=tech, obj=batch, relation="tech")
    return order


def section(page: str, title: str) -> str:
    start = page.index(f"<h2>{title}</h2>")
    return page[start : page.index("</section>", start)]


def test_the_cockpit_sorts_the_work_orders_and_says_how(manager):
    work_order("Soon and on pace", begin=-10, due=3, needed=20, placed=20, complete=15)
    work_order("Overdue", begin=-20, due=-1)
    work_order("Slow", begin=-5, due=30, needed=1000, placed=10, complete=1)
    work_order("Not started yet", begin=5, due=60)

    page = manager.get("/admin/").content.decode()
    orders = section(page, "Work orders")

    due, rest = orders.split("<h3>Overdue", 1)
    overdue, at_risk = rest.split("<h3>At risk", 1)
    assert "Soon and on pace" in due and "Slow" not in due
    assert "Overdue" in overdue and "Slow" not in overdue
    assert "Slow" in at_risk and "Soon and on pace" not in at_risk
    assert "Not started yet" not in orders
    assert "at the pace\nof the last 7 days" in orders


def test_every_number_links_to_the_list_behind_it(manager):
    tess = UserFactory(username="tess", first_name="Tess", last_name="Ng")
    order = work_order("Blocking", begin=-1, due=10, blocked=3, tech=tess)

    page = manager.get("/admin/").content.decode()

    blocked = section(page, "Blocked cycles")
    assert f"category__exact=BLOCKED&amp;work_order__id__exact={order.pk}" in blocked
    assert ">3</a>" in blocked
    workload = section(page, "Technicians")
    assert "Tess Ng" in workload and f"technician={tess.pk}" in workload and ">10</a>" in workload
    queues = section(page, "Queues")
    assert "Q Blocking" in queues and "category__exact=PENDING" in queues
    assert (
        manager.get(
            f"/admin/batches/cycle/?category__exact=BLOCKED&work_order__id__exact={order.pk}"
        )
        .context["cl"]
        .result_count
        == 3
    )


def test_the_cockpit_costs_the_same_queries_for_a_quiet_and_a_busy_floor(manager):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get("/admin/").status_code == 200
        return len(captured.captured_queries)

    work_order("First", begin=-1, due=3, blocked=1, tech=UserFactory())
    manager.get("/admin/")
    quiet = queries()
    for n in range(6):
        work_order(f"More {n}", begin=-10, due=n - 2, blocked=1, complete=2, tech=UserFactory())
    busy = queries()

    assert quiet == busy


def test_the_model_list_is_one_click_away(manager):
    page = manager.get("/admin/").content.decode()
    assert 'href="/admin/models/"' in page
    models = manager.get("/admin/models/").content.decode()
    assert "Customers" in models and "Work orders" in models


def test_a_user_sees_only_the_panels_they_may(client):
    nobody = UserFactory(is_staff=True)
    client.force_login(nobody)

    page = client.get("/admin/").content.decode()

    assert "<h2>Queues</h2>" not in page and "Nothing on the floor you may see yet." in page


def test_the_blocked_panel_lists_the_most_blocked_and_counts_the_rest(manager):
    for n in range(SCHEDULE_ROWS + 2):
        work_order(f"Stuck {n:02d}", begin=-1, due=10, blocked=1 + (n == 5), needed=4, placed=4)

    blocked = section(manager.get("/admin/").content.decode(), "Blocked cycles")

    assert blocked.count("<tr>") == SCHEDULE_ROWS + 1  # the heading row and the rows shown
    assert blocked.index("Stuck 05") < blocked.index("Stuck 00"), "most blocked first"
    assert "2 more" in blocked and f"all {SCHEDULE_ROWS + 3} blocked cycles" in blocked
    assert "category__exact=BLOCKED" in blocked


def test_the_queue_bars_have_a_legend_naming_every_colour(manager):
    work_order("Legend", begin=-1, due=10, blocked=1)

    queues = section(manager.get("/admin/").content.decode(), "Queues")

    legend = queues[queues.index('id="queues-legend"') :]
    for category, colour in CATEGORY_COLOURS.items():
        assert colour in legend and category.label in legend
