"""ETag, If-Match and If-None-Match: a client that sends If-Match never loses an update."""

import json

import pytest
from rest_framework.test import APIClient

from batches.services import batches_create
from customers.models import Customer
from tests.factories import (
    CustomerFactory,
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import (
    assert_integrity,
    assert_problem,
    assert_status,
    clients_of,
    patch_json,
    run_together,
)

pytestmark = pytest.mark.django_db


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type="application/json", headers=headers)


def test_an_entity_carries_a_strong_etag_that_follows_its_changes(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"

    first = api.get(url)
    again = api.get(url)
    body = {**first.json(), "label": "Acme Corp"}
    changed = put(api, url, body, **{"If-Match": first["ETag"]})

    assert first["ETag"].startswith('"') and not first["ETag"].startswith("W/")
    assert again["ETag"] == first["ETag"]
    assert_status(changed, 200)
    assert changed["ETag"] != first["ETag"]
    assert api.get(url)["ETag"] == changed["ETag"], "a write answers the tag a read gives"


def test_if_none_match_answers_304_until_the_entity_changes(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"
    etag = api.get(url)["ETag"]

    cached = api.get(url, headers={"If-None-Match": etag})
    weak = api.get(url, headers={"If-None-Match": f"W/{etag}"})
    Customer.objects.filter(pk=customer.pk).update(label="Renamed")
    stale = api.get(url, headers={"If-None-Match": etag})

    assert cached.status_code == 304 and cached["ETag"] == etag and not cached.content
    assert weak.status_code == 304
    assert stale.status_code == 200 and stale.json()["label"] == "Renamed"


@pytest.mark.parametrize("tag", ['"stale"', 'W/"{current}"', '"a", "b"'])
def test_a_write_with_a_stale_if_match_is_a_412_and_changes_nothing(api, tag):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"
    fetched = api.get(url)
    if_match = tag.format(current=fetched["ETag"].strip('"'))

    renamed = put(api, url, {**fetched.json(), "label": "Lost"}, **{"If-Match": if_match})
    deleted = api.delete(url, headers={"If-Match": if_match})

    problem = assert_problem(renamed, 412, "Precondition Failed")
    assert problem["etag"] == fetched["ETag"]
    assert_problem(deleted, 412, "Precondition Failed")
    assert Customer.objects.get().label == "Acme"


def test_if_match_any_and_no_if_match_write_last_writer_wins(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"
    body = api.get(url).json()

    assert_status(put(api, url, {**body, "label": "Star"}, **{"If-Match": "*"}), 200)
    assert_status(put(api, url, {**body, "label": "Blind"}), 200)
    assert Customer.objects.get().label == "Blind"


def test_a_cycle_patch_and_a_batch_delete_honour_if_match(api, work_order, queue):
    batch = batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=2)[0]
    cycle = batch.cycles.first()
    cycle_url = f"/api/cycles/{cycle.public_id}"
    batch_url = f"/api/batches/{batch.public_id}"
    cycle_tag, batch_tag = api.get(cycle_url)["ETag"], api.get(batch_url)["ETag"]
    status = {"current_status": {"status": "Received", "category": "PENDING"}}

    moved = api.patch(
        cycle_url,
        json.dumps({"current_status": work_order.project.effective_statuses[1]}),
        content_type="application/json",
        headers={"If-Match": cycle_tag},
    )
    stale_patch = api.patch(
        cycle_url,
        json.dumps(status),
        content_type="application/json",
        headers={"If-Match": cycle_tag},
    )
    stale_delete = api.delete(batch_url, headers={"If-Match": batch_tag})

    assert_status(moved, 200)
    assert_problem(stale_patch, 412, "Precondition Failed")
    assert_problem(stale_delete, 412, "Precondition Failed"), "its counters changed"
    assert batch.__class__.objects.filter(pk=batch.pk).exists()


# Races: threads on one database (a file for SQLite, the server for PostgreSQL) ---------------


def _clients(count: int) -> list[APIClient]:
    return clients_of(UserFactory(is_superuser=True), count)


def _entity(kind: str):
    if kind == "customers":
        return CustomerFactory(label="Race")
    work_order = make_work_order(label="Race", cycles=[(40, make_workflow())])
    if kind == "work-orders":
        return work_order
    return batches_create(actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=2)[
        0
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["customers", "work-orders", "batches"])
def test_eight_writers_with_if_match_lose_no_update(kind):
    """Each writer reads, renames and writes back with If-Match, three times: every 2xx is
    applied (the history holds exactly them), every other answer is a 412."""
    entity = _entity(kind)
    url = f"/api/{kind}/{entity.public_id}"
    answers: list[tuple[int, str]] = []

    def writer(client, number):
        def work():
            for round_ in range(3):
                fetched = client.get(url)
                label = f"writer {number} round {round_}"
                body = {**fetched.json(), "label": label}
                response = put(client, url, body, **{"If-Match": fetched["ETag"]})
                answers.append((response.status_code, label))

        return work

    history_before = type(entity).history.filter(id=entity.pk).count()
    run_together([writer(client, n) for n, client in enumerate(_clients(8))])

    statuses = sorted({status for status, _ in answers})
    applied = [label for status, label in answers if status == 200]
    assert set(statuses) <= {200, 412}, answers
    assert applied, "some writer must win"
    history = type(entity).history.filter(id=entity.pk).order_by("history_id")
    written = [row.label for row in history][history_before:]
    assert sorted(written) == sorted(applied), "exactly the 2xx writes were applied"
    entity.refresh_from_db()
    assert entity.label == written[-1]
    assert_integrity()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_batch_races_a_cycle_starting_without_losing_either():
    """DELETE /batches/{id} against PATCH /cycles/{id} → IN_PROGRESS, 10 rounds: one wins, the
    other answers 404 or 423; a cycle the PATCH moved is never deleted; never a 5xx."""
    work_order = make_work_order(label="Race", cycles=[(30, make_workflow())])
    queue = QueueFactory()
    in_progress = work_order.project.effective_statuses[1]
    deleter, patcher = _clients(2)
    for _ in range(10):
        batch = batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=3)[0]
        cycle = batch.cycles.first()
        answers = {}

        def delete(batch=batch, answers=answers):
            answers["delete"] = deleter.delete(f"/api/batches/{batch.public_id}").status_code

        def start(cycle=cycle, answers=answers):
            body = {"current_status": in_progress}
            answers["patch"] = patch_json(
                patcher, f"/api/cycles/{cycle.public_id}", body
            ).status_code

        run_together([delete, start])

        assert answers in ({"delete": 205, "patch": 404}, {"delete": 423, "patch": 200}), answers
        still_there = batch.__class__.objects.filter(pk=batch.pk).exists()
        assert still_there == (answers["patch"] == 200)
    assert_integrity()


@pytest.mark.django_db(transaction=True)
def test_shrinking_a_batch_races_cycles_starting_without_losing_one():
    """PUT /batches/{id} down to 1 cycle against PATCHes starting its cycles: no 5xx, and every
    cycle a PATCH answered 200 for still exists."""
    work_order = make_work_order(label="Race", cycles=[(40, make_workflow())])
    queue = QueueFactory()
    in_progress = work_order.project.effective_statuses[1]
    clients = _clients(5)
    for _ in range(4):
        batch = batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=4)[0]
        cycles = list(batch.cycles.order_by("id"))
        body = {**clients[0].get(f"/api/batches/{batch.public_id}").json(), "number_cycles": 1}
        answers = []

        def shrink(batch=batch, body=body, answers=answers):
            answers.append(
                ("put", None, put(clients[0], f"/api/batches/{batch.public_id}", body).status_code)
            )

        def start(client, cycle, answers=answers):
            def work():
                response = patch_json(
                    client, f"/api/cycles/{cycle.public_id}", {"current_status": in_progress}
                )
                answers.append(("patch", cycle.pk, response.status_code))

            return work

        run_together(
            [shrink, *(start(c, cycle) for c, cycle in zip(clients[1:], cycles, strict=True))]
        )

        assert all(status < 500 for _, _, status in answers), answers
        kept = set(batch.cycles.values_list("pk", flat=True))
        started = {pk for kind, pk, status in answers if kind == "patch" and status == 200}
        assert started <= kept, answers
    assert_integrity()


def test_an_invalid_body_is_a_400_whatever_if_match_says(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"
    body = {**api.get(url).json(), "label": "x" * 500}

    response = put(api, url, body, **{"If-Match": '"stale"'})

    assert_problem(response, 400, "Bad Request")


def test_an_empty_if_match_is_a_400(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"

    response = put(api, url, api.get(url).json(), **{"If-Match": ""})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".If-Match"
