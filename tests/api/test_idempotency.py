"""Idempotency-Key: a retried POST or PATCH /batches creates nothing twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from batches.models import Batch, Cycle
from niagara.models import IdempotencyKey
from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow
from tests.helpers import (
    assert_integrity,
    assert_problem,
    assert_status,
    client_for,
    clients_of,
    run_together,
)

pytestmark = pytest.mark.django_db


def batch_body(work_order, queue, number_cycles=3):
    return {
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": number_cycles,
    }


def post(client, url, body, key):
    return client.post(url, body, format="json", headers={"Idempotency-Key": key})


def age(keys, *, hours: int) -> None:
    for key in keys:
        key.created -= timedelta(hours=hours)
        key.save(update_fields=["created"])


def test_a_retried_post_answers_the_same_and_creates_nothing(api, work_order, queue):
    first = post(api, "/api/batches", batch_body(work_order, queue), "order-17")
    retry = post(api, "/api/batches", batch_body(work_order, queue), "order-17")

    assert_status(first, 200)
    assert retry.status_code == first.status_code and retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert Batch.objects.count() == 1 and Cycle.objects.count() == 3


def test_a_retried_bulk_patch_does_not_double_the_cycles(api, work_order, queue):
    body = {**batch_body(work_order, queue, number_cycles=2), "total": 3}

    first = api.patch("/api/batches", body, format="json", headers={"Idempotency-Key": "bulk-1"})
    retry = api.patch("/api/batches", body, format="json", headers={"Idempotency-Key": "bulk-1"})

    assert first.status_code == retry.status_code == 204
    assert Batch.objects.count() == 3 and Cycle.objects.count() == 6


def test_the_same_key_for_another_request_is_a_422(api, work_order, queue):
    post(api, "/api/batches", batch_body(work_order, queue, 3), "order-17")

    other = post(api, "/api/batches", batch_body(work_order, queue, 4), "order-17")
    other_path = post(api, "/api/customers", {"label": "x"}, "order-17")

    assert_problem(other, 422, "Unprocessable Entity")
    assert_problem(other_path, 422, "Unprocessable Entity")
    assert Cycle.objects.count() == 3


def test_keys_are_the_callers_own(api, work_order, queue):
    other = client_for(UserFactory(is_superuser=True))

    post(api, "/api/batches", batch_body(work_order, queue), "order-17")
    theirs = post(other, "/api/batches", batch_body(work_order, queue), "order-17")

    assert_status(theirs, 200)
    assert "Idempotent-Replayed" not in theirs
    assert Batch.objects.count() == 2


def test_a_failed_request_stores_no_key_so_a_fixed_retry_runs(api, work_order, queue):
    too_many = post(api, "/api/batches", batch_body(work_order, queue, 31), "order-17")
    fixed = post(api, "/api/batches", batch_body(work_order, queue, 30), "order-17")

    assert_problem(too_many, 409, "Conflict")
    assert_status(fixed, 200)
    assert Cycle.objects.count() == 30


def test_a_key_expires_after_24_hours(api, work_order, queue):
    post(api, "/api/batches", batch_body(work_order, queue), "order-17")
    IdempotencyKey.objects.update(
        created=IdempotencyKey.objects.get().created - timedelta(hours=25)
    )

    again = post(api, "/api/batches", batch_body(work_order, queue), "order-17")

    assert_status(again, 200)
    assert "Idempotent-Replayed" not in again
    assert Batch.objects.count() == 2


def test_the_expiry_command_deletes_old_keys(api, work_order, queue, capsys):
    post(api, "/api/batches", batch_body(work_order, queue), "old")
    IdempotencyKey.objects.update(
        created=IdempotencyKey.objects.get().created - timedelta(hours=25)
    )
    post(api, "/api/batches", batch_body(work_order, queue), "new")

    call_command("expire_idempotency_keys")

    assert "Expired 1 idempotency keys." in capsys.readouterr().out
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.parametrize("key", ["", "a" * 256, "spaced key", "naïve"])
def test_a_malformed_key_is_a_400(api, work_order, queue, key):
    response = post(api, "/api/batches", batch_body(work_order, queue), key)

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".Idempotency-Key"
    assert not Batch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_once():
    work_order = make_work_order(label="Race", cycles=[(30, make_workflow())])
    queue = QueueFactory()
    answers = []

    def send(client):
        return lambda: answers.append(
            post(client, "/api/batches", batch_body(work_order, queue), "twin")
        )

    run_together([send(client) for client in clients_of(UserFactory(is_superuser=True), 4)])

    assert Batch.objects.count() == 1
    created = [a for a in answers if a.status_code == 200]
    assert created and all(a.content == created[0].content for a in created)
    assert {a.status_code for a in answers} <= {200, 409}
    assert_integrity()
