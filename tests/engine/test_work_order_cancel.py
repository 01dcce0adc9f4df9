"""``DELETE /work-orders/{id}/cycles``: a manager cancels what is left of an order. Every
unfinished cycle is cancelled (a device in a run too: its run ends), finished ones stay, the
counters follow; nothing changes for whoever may not update the work order."""

import pytest

from batches.models import Cycle
from batches.services import batches_create
from tests.factories import UserFactory, make_work_order
from tests.helpers import assert_integrity, assert_problem, assert_status, client_for
from users.roles import FloorRole
from users.services import user_set_role

from .shop import DETAILS, QC_OK
from .test_runs_api import close, take

pytestmark = pytest.mark.django_db


def _manager():
    manager = UserFactory()
    user_set_role(manager, role=FloorRole.MANAGER)
    return client_for(manager)


def _categories(work_order) -> dict[str, int]:
    counted: dict[str, int] = {}
    for category in Cycle.objects.filter(work_order=work_order).values_list("category", flat=True):
        counted[category] = counted.get(category, 0) + 1
    return counted


def test_a_manager_cancels_what_is_left_of_a_work_order(floor, ada, grace):
    work_order = floor["work_order"]
    done = take(ada, floor["batch"], "DMP2001").json()["context_id"]
    close(ada, done, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    close(ada, done, "enter-details", DETAILS)
    assert_status(close(grace, done, "quality-check", QC_OK), 200)
    running = take(ada, floor["batch"], "DMP2002").json()["context_id"]
    url = f"/api/work-orders/{work_order.public_id}/cycles"
    manager = _manager()

    response = manager.delete(url)

    assert_status(response, 202)
    assert response.json() == {"cancelled": 9}  # 10 devices: one complete, the rest open
    assert _categories(work_order) == {"COMPLETE": 1, "CANCELLED": 9}
    run = ada.get(f"/api/contexts/{running}").json()
    assert run["active"] is False and run["status"] == "CANCELLED"
    problem = assert_problem(
        close(ada, running, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"}),
        409,
        "Conflict",
    )
    assert "ended" in problem["detail"]
    [line] = manager.get(f"/api/work-orders/{work_order.public_id}").json()["cycles"]
    open_now = ("pending", "in_progress", "verifying", "blocked")
    assert {key: line[key] for key in (*open_now, "complete")} == {
        "pending": 0,
        "in_progress": 0,
        "verifying": 0,
        "blocked": 0,
        "complete": 1,
    }
    assert_integrity()
    # Again: nothing is left to cancel.
    assert manager.delete(url).json() == {"cancelled": 0}


def test_who_may_not_update_the_work_order_changes_nothing(floor, ada):
    url = f"/api/work-orders/{floor['work_order'].public_id}/cycles"
    before = _categories(floor["work_order"])

    assert ada.delete(url).status_code in (403, 404)  # a technician reads no work order
    reader = UserFactory()
    from tests.helpers import holder_of

    reader_client = client_for(holder_of("work-order:read", user=reader))
    assert_status(reader_client.delete(url), 403)
    assert_status(client_for(UserFactory()).delete(url), 404)
    assert _categories(floor["work_order"]) == before


def test_a_project_without_a_cancelled_status_is_a_conflict(floor):
    project = floor["project"]
    project.allowed_statuses = [
        s for s in project.effective_statuses if s["category"] != "CANCELLED"
    ]
    project.save(update_fields=["allowed_statuses"])
    before = _categories(floor["work_order"])

    response = _manager().delete(f"/api/work-orders/{floor['work_order'].public_id}/cycles")

    assert_problem(response, 409, "Conflict")
    assert _categories(floor["work_order"]) == before


def test_one_cycle_is_read_and_cancelled_under_its_work_order(floor, ada):
    work_order = floor["work_order"]
    running = take(ada, floor["batch"], "DMP2101").json()["context_id"]
    cycle = Cycle.objects.get(unit__raw_serial_number="DMP2101")
    url = f"/api/work-orders/{work_order.public_id}/cycles/{cycle.public_id}"
    manager = _manager()
    own = manager.get(f"/api/cycles/{cycle.public_id}").json()
    assert own["_links"]["nter:work-order-cycle"]["href"].endswith(url)
    # A technician reads no work order: no link to a path under one.
    assert "nter:work-order-cycle" not in ada.get(f"/api/cycles/{cycle.public_id}").json()["_links"]

    fetched = manager.get(url)
    assert_status(fetched, 200)
    assert fetched.json()["cycle_id"] == cycle.public_id
    more = make_work_order(project=floor["project"], cycles=[(1, floor["workflow"])])
    [elsewhere] = batches_create(actor=None, work_order=more, queue=floor["queue"], number_cycles=1)
    stranger = elsewhere.cycles.get().public_id
    assert_status(manager.get(f"/api/work-orders/{work_order.public_id}/cycles/{stranger}"), 404)

    cancelled = manager.delete(url)

    assert_status(cancelled, 200)
    assert cancelled.json()["current_status"]["category"] == "CANCELLED"
    assert ada.get(f"/api/contexts/{running}").json()["status"] == "CANCELLED"
    assert_problem(manager.delete(url), 409, "Conflict")
    assert _categories(work_order) == {"PENDING": 9, "CANCELLED": 1}
    assert_status(client_for(UserFactory()).delete(url), 404)
