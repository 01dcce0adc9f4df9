"""Production queues: priorities, counters, replace and delete."""

import pytest

from batches.models import Cycle
from queues.models import Location, Queue
from tests.factories import (
    LocationFactory,
    QueueFactory,
)
from tests.helpers import assert_status, post_json, put_json, split

pytestmark = pytest.mark.django_db


def test_create_queue_with_its_counters(api):
    location = LocationFactory()

    response = post_json(
        api,
        "/api/queues",
        {"label": "Fast Lane", "priority": 42, "location": {"location_id": location.public_id}},
    )

    assert_status(response, 200)
    data = response.json()
    assert data["priority"] == 42
    assert data["location"]["location_id"] == location.public_id
    assert (data["active_cycles"], data["active_batches"], data["total_batches"]) == (0, 0, 0)
    assert data["is_active"] is False and data["min_due_date"] is None
    assert data["total_work_orders"] == dict.fromkeys(
        ["pending", "in_progress", "verifying", "complete", "blocked", "cancelled"], 0
    )
    for link in data["_links"].values():
        assert_status(api.get(link["href"]), 200)


@pytest.mark.parametrize(
    ("changes", "keyword", "data_path"),
    [
        ({"priority": -1}, "minimum", ".priority"),
        ({"priority": "high"}, "type", ".priority"),
        ({"location": {"location_id": "missing"}}, "exists", ".location.location_id"),
        ({"location": None}, "type", ".location"),
    ],
)
def test_invalid_queues_are_rejected(api, changes, keyword, data_path):
    location = LocationFactory()
    body = {"label": "Q", "priority": 1, "location": {"location_id": location.public_id}, **changes}

    response = post_json(api, "/api/queues", body)

    assert_status(response, 400)
    found = {(m["keyword"], m["dataPath"]) for m in response.json()["validation_messages"]}
    assert (keyword, data_path) in found, found
    assert not Queue.objects.exists()


def test_queues_are_listed_highest_priority_first(api):
    for priority in (1, 50, 7.5):
        QueueFactory(priority=priority)

    page = api.get("/api/queues").json()

    assert [q["priority"] for q in page["_embedded"]["nter:queues"]] == [50, 7.5, 1]


def test_queue_counters_follow_the_cycles(api, work_order, queue):
    split(api, work_order, queue, number_cycles=10, total=2)
    Cycle.objects.filter(
        pk__in=Cycle.objects.filter(batch__label__endswith="1/2").values("pk")
    ).update(category="COMPLETE", current_status={"status": "Complete", "category": "COMPLETE"})

    data = api.get(f"/api/queues/{queue.public_id}").json()

    assert (data["total_batches"], data["active_batches"], data["active_cycles"]) == (2, 1, 10)
    assert data["active_work_orders"] == 1 and data["is_active"] is True
    assert data["min_due_date"] == data["max_due_date"] == "2026-03-31T00:00:00Z"
    assert data["total_work_orders"]["pending"] == 1


def test_a_queue_holding_batches_cannot_be_deleted_nor_its_location(api, work_order, queue):
    split(api, work_order, queue, number_cycles=1)

    assert_status(api.delete(f"/api/queues/{queue.public_id}"), 423)
    assert_status(api.delete(f"/api/locations/{queue.location.public_id}"), 423)
    assert Queue.objects.exists() and Location.objects.exists()


def test_put_replaces_a_queue(api, queue):
    location = LocationFactory()
    body = {"label": "Slow Lane", "priority": 0.5, "location": {"location_id": location.public_id}}

    response = put_json(api, f"/api/queues/{queue.public_id}", body)

    assert_status(response, 200)
    queue.refresh_from_db()
    assert (queue.label, queue.priority, queue.location) == ("Slow Lane", 0.5, location)
