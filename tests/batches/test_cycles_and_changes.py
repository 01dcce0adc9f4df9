"""Cycles move through statuses (and every counter follows); batches change after creation."""

import pytest

from batches.models import Batch, Cycle
from relations.models import Relation
from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow
from tests.helpers import assert_status, patch_json, put_json

pytestmark = pytest.mark.django_db

DONE = {"status": "Complete", "category": "COMPLETE"}
WORKING = {"status": "In Progress", "category": "IN_PROGRESS"}


@pytest.fixture
def floor(api):
    work_order = make_work_order(label="Ten iPads", cycles=[(10, make_workflow())])
    queue = QueueFactory()
    tech = UserFactory(first_name="Tess", last_name="Tech")
    body = {
        "total": 2,
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": 5,
        "users": [{"user_id": tech.public_id}],
    }
    assert_status(patch_json(api, "/api/batches", body), 204)
    return {
        "work_order": work_order,
        "queue": queue,
        "tech": tech,
        "batches": list(Batch.objects.order_by("order")),
    }


def cycles_of(api, url, query=""):
    page = api.get(url + "/cycles" + query).json()
    return page["_embedded"]["nter:work-order-cycles"]


def test_cycles_are_listed_for_batches_and_work_orders(api, floor):
    batch = floor["batches"][0]

    in_batch = cycles_of(api, f"/api/batches/{batch.public_id}")
    in_order = api.get(f"/api/work-orders/{floor['work_order'].public_id}/cycles").json()

    assert len(in_batch) == 5 and in_order["total_count"] == 10
    cycle = in_batch[0]
    assert cycle["label"] == "Cycle 1 for work order: Ten iPads"
    assert cycle["current_status"]["category"] == "PENDING"
    assert cycle["batch"]["batch_id"] == batch.public_id
    assert cycle["workflow_version"] == 1
    assert_status(api.get(cycle["_links"]["self"]["href"]), 200)


def test_changing_a_cycles_status_moves_every_counter(api, floor):
    batch = floor["batches"][0]
    [first, second] = cycles_of(api, f"/api/batches/{batch.public_id}")[:2]

    assert_status(
        patch_json(api, f"/api/cycles/{first['cycle_id']}", {"current_status": WORKING}), 200
    )
    response = patch_json(api, f"/api/cycles/{second['cycle_id']}", {"current_status": DONE})
    assert_status(response, 200)
    assert response.json()["current_status"]["status"] == "Complete"

    batch_data = api.get(f"/api/batches/{batch.public_id}").json()
    assert batch_data["cycles"] == {
        "pending": 3,
        "in_progress": 1,
        "verifying": 0,
        "complete": 1,
        "blocked": 0,
        "cancelled": 0,
    }
    work_order = api.get(f"/api/work-orders/{floor['work_order'].public_id}").json()
    assert work_order["cycles"][0]["pending"] == 8 and work_order["cycles"][0]["complete"] == 1
    assert work_order["start_date"] is not None and work_order["end_date"] is None
    queue = api.get(f"/api/queues/{floor['queue'].public_id}").json()
    assert queue["active_cycles"] == 9
    filtered = cycles_of(
        api, f"/api/work-orders/{floor['work_order'].public_id}", "?filter[status]=COMPLETE"
    )
    assert [c["cycle_id"] for c in filtered] == [second["cycle_id"]]


def test_end_date_is_set_when_every_cycle_is_finished(api, floor):
    for cycle in Cycle.objects.all():
        patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": DONE})

    data = api.get(f"/api/work-orders/{floor['work_order'].public_id}").json()
    assert data["start_date"] and data["end_date"]
    queue = api.get(f"/api/queues/{floor['queue'].public_id}").json()
    assert (queue["active_cycles"], queue["is_active"]) == (0, False)


def test_a_status_outside_the_work_orders_list_is_rejected(api, floor):
    cycle = Cycle.objects.first()

    response = patch_json(
        api,
        f"/api/cycles/{cycle.public_id}",
        {"current_status": {"status": "Shipped", "category": "COMPLETE"}},
    )

    assert_status(response, 400)
    cycle.refresh_from_db()
    assert cycle.category == "PENDING"


def test_put_moves_a_batch_to_another_queue_at_its_end(api, floor):
    batch = floor["batches"][0]
    other = QueueFactory()
    QueueFactory()
    body = {
        "work_order": {"work_order_id": floor["work_order"].public_id},
        "queue": {"queue_id": other.public_id},
        "number_cycles": 5,
    }

    response = put_json(api, f"/api/batches/{batch.public_id}", body)

    assert_status(response, 200)
    assert response.json()["queue"]["queue_id"] == other.public_id
    assert response.json()["order"] == 1


def test_put_grows_within_capacity_and_shrinks_pending_cycles_only(api, floor):
    batch = floor["batches"][0]
    body = {
        "work_order": {"work_order_id": floor["work_order"].public_id},
        "queue": {"queue_id": floor["queue"].public_id},
        "number_cycles": 6,
    }

    assert_status(put_json(api, f"/api/batches/{batch.public_id}", body), 409)
    assert batch.cycles.count() == 5

    Cycle.objects.filter(batch=batch).update(category="IN_PROGRESS")
    body["number_cycles"] = 4
    assert_status(put_json(api, f"/api/batches/{batch.public_id}", body), 423)
    assert batch.cycles.count() == 5

    second = floor["batches"][1]
    body["number_cycles"] = 2
    assert_status(put_json(api, f"/api/batches/{second.public_id}", body), 200)
    assert second.cycles.count() == 2
    body["number_cycles"] = 5
    assert_status(put_json(api, f"/api/batches/{second.public_id}", body), 200)
    assert Cycle.objects.count() == 10


def test_techs_are_the_batches_tech_relations(api, floor):
    batch = floor["batches"][0]

    page = api.get(f"/api/batches/{batch.public_id}/techs").json()
    assert [u["name"] for u in page["_embedded"]["nter:users"]] == ["Tess Tech"]

    response = api.delete(f"/api/batches/{batch.public_id}/techs/{floor['tech'].public_id}")
    assert_status(response, 205)
    assert api.get(f"/api/batches/{batch.public_id}/techs").json()["total_count"] == 0
    assert Relation.objects.filter(relation="tech").count() == 1, "the other batch keeps its tech"
    assert_status(
        api.delete(f"/api/batches/{batch.public_id}/techs/{floor['tech'].public_id}"), 404
    )


def test_technician_permissions_follow_the_batch(client_with_perms, floor):
    batch = floor["batches"][0]
    url = f"/api/batches/{batch.public_id}/techs"

    assert_status(client_with_perms().get(url), 404)
    assert_status(client_with_perms("batch:read").get(url), 200)
    assert_status(client_with_perms("batch:read").delete(f"{url}/{floor['tech'].public_id}"), 403)
    editor = client_with_perms("batch:detach-tech")
    assert_status(editor.delete(f"{url}/{floor['tech'].public_id}"), 205)
