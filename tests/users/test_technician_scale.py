"""A technician's requests cost the same whatever the work they hold: the access layer asks
the database (a subquery over their relations), it never pulls their batches' ids into Python
nor inlines them into SQL. Measured here as query counts and as the longest literal id list in
any statement, for a technician holding one batch and one holding more than a page of them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from batches.services import batches_create
from engine.models import Context
from tests.engine.shop import build_floor
from tests.factories import make_work_order
from tests.helpers import assert_status, client_for, post_json

pytestmark = pytest.mark.django_db

MORE = 120  # more than a page of the admin (100 rows)
IN_LIST = re.compile(r"\bIN \(([^()]*)\)", re.IGNORECASE)


def cost(call) -> tuple[int, int]:
    """(queries, the most literal values in one ``IN (…)`` list) of ``call()``."""
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code < 400, response.content[:300]
    longest = max(
        (group.count(",") + 1 for q in captured for group in IN_LIST.findall(q["sql"])),
        default=0,
    )
    return len(captured), longest


def holding(extra: int):
    """A floor whose first technician holds the floor's batch and ``extra`` more."""
    floor = build_floor(devices=6)
    tech = floor["techs"][0]
    if extra:
        more = make_work_order(
            project=floor["project"], cycles=[(extra, floor["workflow"])], label="More iPads"
        )
        batches_create(
            actor=None,
            work_order=more,
            queue=floor["queue"],
            number_cycles=1,
            total=extra,
            users=[tech],
        )
    return floor, tech


def measure(floor, tech) -> dict[str, tuple[int, int]]:
    api = client_for(tech)
    admin = Client()
    tech.is_staff = True
    tech.save(update_fields=["is_staff"])
    admin.force_login(tech)
    batch = floor["batch"].public_id
    take = f"/api/batches/{batch}/cycles/next"
    serial = f"DMP{Context.objects.count():05d}"
    assert_status(post_json(api, take, {"raw_serial_number": serial}), 200)
    run = Context.objects.latest("id")
    figures = {}
    pages = {
        "batches page": lambda: api.get("/api/batches?limit=10"),
        "a batch": lambda: api.get(f"/api/batches/{batch}"),
        "a batch's cycles": lambda: api.get(f"/api/batches/{batch}/cycles"),
        "a run": lambda: api.get(f"/api/contexts/{run.public_id}"),
        "/me": lambda: api.get("/api/me"),
        "/me/customers": lambda: api.get("/api/me/customers"),
        "/me/locations": lambda: api.get("/api/me/locations"),
        "admin batches": lambda: admin.get("/admin/batches/batch/"),
        "admin cycles": lambda: admin.get("/admin/batches/cycle/"),
        "station": lambda: admin.get("/admin/engine/context/station/"),
        "run page": lambda: admin.get(f"/admin/engine/context/station/run/{run.pk}/"),
        "cockpit": lambda: admin.get("/admin/"),
    }
    for name, call in pages.items():
        call()  # warm the per-process caches (content types…)
        figures[name] = cost(call)
    figures["step close"] = cost(
        lambda: api.patch(
            f"/api/contexts/{run.public_id}/unbox",
            {"close_step": {"step": "unbox", "attachment_id": "unboxing-guide"}},
            format="json",
        )
    )
    return figures


def test_a_technicians_requests_cost_the_same_whatever_they_hold():
    few = measure(*holding(0))
    many = measure(*holding(MORE))

    assert {name: queries for name, (queries, _) in many.items()} == {
        name: queries for name, (queries, _) in few.items()
    }
    # No statement lists the batches they hold: the longest literal list is at most a page of
    # the rows shown (the admin reads a page's technicians by the page's ids), never all 121.
    assert max(longest for _, longest in many.values()) <= 100 < MORE


def _counters(api, batch) -> dict:
    """The counters of a batch's queue, as embedded in the batch."""
    body = api.get(f"/api/batches/{batch.public_id}").json()["queue"]
    names = ("total_batches", "active_batches", "active_cycles", "active_work_orders")
    return {name: body[name] for name in names}


def _counting(captured) -> list[str]:
    """The statements that count a queue's batches: over the tallies or over the batches."""
    return [
        q["sql"]
        for q in captured
        if "GROUP BY" in q["sql"]
        and ('FROM "batches_batch"' in q["sql"] or "tally" in q["sql"].split("FROM")[1])
    ]


def test_a_technicians_queue_counters_are_read_from_their_tallies():
    """What a technician reads of a queue is their batches in it: a lead technician who may
    read queues sees their counters from their technician tallies (a few rows a queue), never
    summed over the batches they hold (100,000 for the floor's lead at a million batches) —
    and they say what those batches say. A technician who may not read queues sees none, and
    none is counted."""
    from batches.services import cycles_set_status
    from relations.services import relation_create
    from tests.helpers import holder_of

    floor, tech = holding(4)  # the floor's batch of 6 devices, and 4 batches of 1 more
    queue, batch = floor["queue"], floor["batch"]
    done = queue.batches.exclude(pk=batch.pk).first()
    complete = {"status": "Complete", "category": "COMPLETE"}
    cycles_set_status(done.cycles.all(), actor=None, current_status=complete)
    plain = client_for(floor["techs"][1])  # assigned to the floor's batch alone
    plain.get(f"/api/batches/{batch.public_id}")
    with CaptureQueriesContext(connection) as captured:
        assert plain.get(f"/api/batches/{batch.public_id}").json()["queue"] is None
    assert _counting(captured) == []

    api = client_for(holder_of("queue:read", user=tech))
    _counters(api, batch)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        counted = _counters(api, batch)
    assert counted == {
        "total_batches": 5,
        "active_batches": 4,  # one of the four batches of one device is complete
        "active_cycles": 6 + 3,
        "active_work_orders": 2,
    }
    [tallied] = _counting(captured)
    assert "batches_techtally" in tallied

    # A relation of another kind lets them read a batch too, which their tallies (of "tech"
    # relations) do not count: their batches are summed, and still say what they read.
    another = make_work_order(
        project=floor["project"], cycles=[(2, floor["workflow"])], label="Spare iPads"
    )
    unassigned = batches_create(actor=None, work_order=another, queue=queue, number_cycles=2)[0]
    relation_create(subject=tech, obj=unassigned, relation="viewer")
    assert _counters(api, batch) == {
        "total_batches": 6,
        "active_batches": 5,
        "active_cycles": 6 + 3 + 2,
        "active_work_orders": 3,
    }
