"""Breaking work orders down onto the floor: queues, batches, cycles and the capacity rule."""

import json

import jsonschema
import pytest
from django.db import connection

from batches.models import Batch, Cycle
from relations.models import Relation
from tests.factories import (
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import (
    as_listed,
    assert_integrity,
    assert_status,
    clients_of,
    patch_json,
    post_json,
    run_together,
    split,
)

from .seed_schema import BATCH

pytestmark = pytest.mark.django_db


# Batches ------------------------------------------------------------------------------------


def test_post_creates_one_batch_with_pending_cycles(api, work_order, queue):
    response = post_json(
        api,
        "/api/batches",
        {
            "work_order": {"work_order_id": work_order.public_id},
            "queue": {"queue_id": queue.public_id},
            "number_cycles": 10,
        },
    )

    assert_status(response, 200)
    data = response.json()
    assert data["label"] == "500 iPads · 1/1"
    assert data["order"] == 1
    assert data["number_cycles"] == 10
    assert data["cycles"] == {
        "pending": 10,
        "in_progress": 0,
        "verifying": 0,
        "complete": 0,
        "blocked": 0,
        "cancelled": 0,
    }
    assert data["queue"]["queue_id"] == queue.public_id and data["queue"]["active_cycles"] == 10
    assert data["work_order"]["cycles"][0]["pending"] == 10
    assert data["current_status"] is None
    for link in data["_links"].values():
        assert_status(api.get(link["href"]), 200)
    assert Cycle.objects.filter(batch__public_id=data["batch_id"]).count() == 10


def test_a_bulk_creation_takes_a_status_and_ignores_what_a_fetched_batch_carries(
    api, work_order, queue
):
    """The docs' example for ``PATCH /batches`` is a fetched batch: its status is taken (as a
    single creation takes it), its ids, counters and links are ignored."""
    status = work_order.project.effective_statuses[1]
    response = split(
        api,
        work_order,
        queue,
        number_cycles=2,
        total=2,
        current_status={"status": status["status"], "category": status["category"]},
        batch_id="ignored",
        cycles={"pending": 99},
        _links={"self": {"href": "https://elsewhere.example/batches/1"}},
    )

    assert_status(response, 204)
    made = list(Batch.objects.order_by("id"))
    assert [b.current_status["status"] for b in made] == [status["status"]] * 2
    assert all(b.public_id != "ignored" for b in made)
    assert Cycle.objects.count() == 4


def test_order_defaults_to_the_end_of_the_queue_and_batches_list_in_order(api, work_order, queue):
    split(api, work_order, queue, number_cycles=1, total=3)

    page = api.get(f"/api/queues/{queue.public_id}/batches").json()

    assert [b["order"] for b in page["_embedded"]["nter:batches"]] == [1, 2, 3]
    assert [b["label"] for b in page["_embedded"]["nter:batches"]] == [
        "500 iPads · 1/3",
        "500 iPads · 2/3",
        "500 iPads · 3/3",
    ]


def test_bulk_create_assigns_technicians_as_relations(api, work_order, queue):
    tech = UserFactory()

    response = split(
        api, work_order, queue, number_cycles=5, total=4, users=[{"user_id": tech.public_id}]
    )

    assert_status(response, 204)
    assert response.content == b""
    assert Batch.objects.count() == 4
    assert Relation.objects.filter(relation="tech", subject_id=tech.pk).count() == 4


def test_exceeding_the_capacity_is_a_conflict_and_stores_nothing(api, work_order, queue):
    split(api, work_order, queue, number_cycles=10, total=2)

    response = split(api, work_order, queue, number_cycles=6, total=2)

    assert_status(response, 409)
    detail = response.json()["detail"]
    assert "needs 30" in detail and "20 are placed" in detail and "12 more" in detail
    assert Batch.objects.count() == 2 and Cycle.objects.count() == 20


def test_a_bad_status_on_a_full_work_order_is_a_400_not_the_capacity_409(api, work_order, queue):
    split(api, work_order, queue, number_cycles=30)  # full

    response = split(
        api, work_order, queue, number_cycles=5, current_status={"status": "No such status"}
    )

    assert_status(response, 400)
    assert Batch.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "keyword", "data_path"),
    [
        ({"total": 1001}, "maximum", ".total"),
        ({"total": 0}, "minimum", ".total"),
        ({"number_cycles": 0}, "minimum", ".number_cycles"),
        ({"number_cycles": "5"}, "type", ".number_cycles"),
        ({"queue": {"queue_id": "missing"}}, "exists", ".queue.queue_id"),
        ({"users": [{"user_id": "missing"}]}, "exists", ".users[0].user_id"),
    ],
)
def test_invalid_bulk_bodies_are_400(api, work_order, queue, changes, keyword, data_path):
    body = {
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": 1,
        **changes,
    }

    response = patch_json(api, "/api/batches", body)

    assert_status(response, 400)
    found = {(m["keyword"], m["dataPath"]) for m in response.json()["validation_messages"]}
    assert (keyword, data_path) in found, found
    assert not Batch.objects.exists()


def test_batch_status_must_be_one_of_the_work_orders(api, work_order, queue):
    body = {
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": 1,
        "current_status": {"status": "Shipped", "category": "COMPLETE"},
    }

    response = post_json(api, "/api/batches", body)

    assert_status(response, 400)
    assert response.json()["validation_messages"][0]["dataPath"] == ".current_status"
    assert not Batch.objects.exists()


def test_delete_frees_the_cycles(api, work_order, queue):
    split(api, work_order, queue, number_cycles=30)
    batch = Batch.objects.get()

    assert_status(api.delete(f"/api/batches/{batch.public_id}"), 205)
    assert not Cycle.objects.exists()
    assert_status(split(api, work_order, queue, number_cycles=30), 204)


def test_a_batch_with_cycles_in_flight_cannot_be_deleted(api, work_order, queue):
    split(api, work_order, queue, number_cycles=3)
    batch = Batch.objects.get()
    Cycle.objects.filter(pk=batch.cycles.first().pk).update(category="IN_PROGRESS")

    assert_status(api.delete(f"/api/batches/{batch.public_id}"), 423)
    assert Batch.objects.exists()


def test_a_work_order_with_batches_cannot_be_deleted(api, work_order, queue):
    split(api, work_order, queue, number_cycles=1)

    assert_status(api.delete(f"/api/work-orders/{work_order.public_id}"), 423)


def test_work_order_queues_and_batches(api, work_order, queue):
    other = QueueFactory(priority=99)
    split(api, work_order, queue, number_cycles=2)
    split(api, work_order, other, number_cycles=2)
    make_work_order(label="Elsewhere")

    queues = api.get(f"/api/work-orders/{work_order.public_id}/queues").json()
    batches = api.get(f"/api/work-orders/{work_order.public_id}/batches").json()

    assert [q["queue_id"] for q in queues["_embedded"]["nter:queues"]] == [
        other.public_id,
        queue.public_id,
    ]
    assert batches["total_count"] == 2


def test_bulk_create_costs_the_same_queries_for_10_or_100_batches(
    api, django_assert_max_num_queries
):
    big = make_work_order(label="Big", cycles=[(1000, make_workflow())])
    queue = QueueFactory()
    tech = UserFactory()

    with django_assert_max_num_queries(40) as few:
        assert_status(
            split(api, big, queue, number_cycles=1, total=10, users=[{"user_id": tech.public_id}]),
            204,
        )
    with django_assert_max_num_queries(40) as many:
        assert_status(
            split(api, big, queue, number_cycles=1, total=60, users=[{"user_id": tech.public_id}]),
            204,
        )
    assert len(few.captured_queries) == len(many.captured_queries)


def test_batches_have_relations_and_history(api, work_order, queue, superuser):
    split(api, work_order, queue, number_cycles=1)
    batch = Batch.objects.get()

    relations = api.get(f"/api/batches/{batch.public_id}/relations").json()["_embedded"][
        "nter:relations"
    ]
    assert [(r["relation"], r["entity"]["entity_id"]) for r in relations] == [
        ("created", superuser.public_id)
    ]
    assert batch.history.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_exceed_the_capacity():
    """8 threads race for the last cycles: exactly the capacity is placed, the rest get 409."""
    work_order = make_work_order(label="Race", cycles=[(20, make_workflow())])
    queue = QueueFactory()
    clients = clients_of(UserFactory(is_superuser=True), 8)
    split(clients[0], work_order, queue, number_cycles=14)
    statuses = []

    def take_two(client):
        return lambda: statuses.append(
            split(client, work_order, queue, number_cycles=2).status_code
        )

    run_together([take_two(client) for client in clients])

    assert sorted(statuses) == [204, 204, 204, 409, 409, 409, 409, 409], statuses
    assert Cycle.objects.filter(work_order=work_order).count() == 20
    assert connection.vendor in ("sqlite", "postgresql")
    assert_integrity()


def test_batch_bodies_validate_against_the_seeds_schema(api, work_order, queue):
    body = {
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": 3,
        "current_status": {"status": "In Progress", "category": "IN_PROGRESS"},
    }

    created = post_json(api, "/api/batches", body).json()
    listed = api.get("/api/batches").json()["_embedded"]["nter:batches"][0]

    # A list item embeds its parents as summaries (issue 24); the batch itself, whole.
    for data, schema in ((created, BATCH), (listed, as_listed(BATCH))):
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert created["current_status"]["description"] == "For something that is In Progress"


def test_bulk_create_needs_the_batch_create_permission(client_with_perms, work_order, queue):
    body = {
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": 1,
    }
    viewers = ("work-order:read", "queue:read")

    denied = patch_json(client_with_perms("batch:update", *viewers), "/api/batches", body)
    allowed = patch_json(client_with_perms("batch:create", *viewers), "/api/batches", body)

    assert_status(denied, 403)
    assert_status(allowed, 204)
    assert Batch.objects.count() == 1


@pytest.mark.parametrize("sub", ["cycles", "techs"])
def test_batch_sub_collections_keep_constant_queries(
    api, work_order, queue, django_assert_max_num_queries, sub
):
    techs = UserFactory.create_batch(3)
    split(api, work_order, queue, number_cycles=5, users=[{"user_id": t.public_id} for t in techs])
    batch = Batch.objects.get()

    with django_assert_max_num_queries(6) as small:
        api.get(f"/api/batches/{batch.public_id}/{sub}?limit=1")
    with django_assert_max_num_queries(6) as large:
        page = api.get(f"/api/batches/{batch.public_id}/{sub}?limit=100").json()
    assert len(small.captured_queries) == len(large.captured_queries)
    assert page["total_count"] == (5 if sub == "cycles" else 3)


@pytest.mark.parametrize(
    "media_type",
    ["application/vnd.nter.multi-batch+json", "application/multi-batch+json", "application/json"],
)
def test_patch_batches_takes_the_documented_multi_batch_media_types(api, media_type):
    work_order = make_work_order(cycles=[(4, make_workflow())])
    queue = QueueFactory()
    body = {
        "total": 2,
        "number_cycles": 2,
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
    }

    response = api.patch("/api/batches", json.dumps(body), content_type=media_type)

    assert response.status_code == 204, response.content
    assert work_order.batches.count() == 2
    accepted = api.get("/api/batches")["Accept-Patch"]
    assert "application/vnd.nter.multi-batch+json" in accepted
    assert "application/multi-batch+json" in accepted


def test_patch_batches_in_another_media_type_is_a_415(api):
    response = api.patch("/api/batches", "total=2", content_type="text/plain")

    assert response.status_code == 415
