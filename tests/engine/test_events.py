"""The events a floor's changes write into the outbox, with the change (no worker needed to see
them): what the docs name and Niagara's own, each with its customer and the fields it says."""

import pytest
from django.db import transaction

from batches.models import Cycle
from customers.models import Customer
from events.models import Event
from tests.factories import (
    CustomerFactory,
    LocationFactory,
    QueueFactory,
    UnitFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_status, patch_json, post_json, split

from .test_runs_api import close, take

pytestmark = pytest.mark.django_db

DONE = {"status": "Complete", "category": "COMPLETE"}


def events_of(type_: str) -> list[Event]:
    return list(Event.objects.filter(type=type_).order_by("id"))


def test_an_entity_is_created_changed_and_deleted_as_events(api):
    statuses = [{"status": "Pending", "category": "PENDING", "description": None, "order": 1}]
    body = {"label": "Evented Co", "external_platform": {}, "allowed_statuses": statuses}
    made = post_json(api, "/api/customers", body)
    assert_status(made, 200)
    customer_id = made.json()["customer_id"]
    renamed = api.patch(
        f"/api/customers/{customer_id}",
        '{"label": "Evented Company"}',
        content_type="application/merge-patch+json",
    )
    assert_status(renamed, 200)
    customer = Customer.objects.get(public_id=customer_id)

    [created] = events_of("CUS.created")
    [changed] = events_of("CUS.changed")
    assert created.entity_id == customer_id and created.customer_id == customer.pk
    assert changed.data == {"customer_id": customer_id, "changed": ["label"]}
    assert_status(api.delete(f"/api/customers/{customer_id}"), 205)
    [deleted] = events_of("CUS.deleted")
    assert deleted.data["customer_id"] == customer_id


def test_a_unit_moved_is_a_location_changed_event_with_where_it_is_now(api):
    unit = UnitFactory()
    there = LocationFactory()
    unit.current_location = there
    unit.save()
    [moved] = events_of("UNIT.location-changed")
    assert moved.data["current_location"] == there.public_id
    assert moved.customer_id == unit.part.customer_id


def test_the_last_cycle_finished_completes_the_work_order(api):
    work_order = make_work_order(label="Two", cycles=[(2, make_workflow())])
    assert_status(split(api, work_order, QueueFactory(), 2), 204)
    first, second = Cycle.objects.filter(work_order=work_order).order_by("id")
    patch_json(api, f"/api/cycles/{first.public_id}", {"current_status": DONE})
    assert events_of("WOR.complete") == []
    patch_json(api, f"/api/cycles/{second.public_id}", {"current_status": DONE})

    [complete] = events_of("WOR.complete")
    assert complete.entity_id == work_order.public_id
    assert complete.customer_id == work_order.project.program.customer_id
    assert len(events_of("CYC.status-changed")) == 2


def test_a_failed_change_leaves_no_event(api):
    work_order = make_work_order(label="One", cycles=[(1, make_workflow())])
    assert_status(split(api, work_order, QueueFactory(), 1), 204)
    cycle = Cycle.objects.get(work_order=work_order)
    bad = patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": {"status": "Nope"}})
    assert bad.status_code == 400
    assert events_of("CYC.status-changed") == []


def test_step_outcomes_are_events(floor, ada):
    context_id = take(ada, floor["batch"], "DMP0042").json()["context_id"]
    assert_status(close(ada, context_id, "unbox", fail=True), 200)
    [failed] = events_of("CTX.step-failed")
    assert failed.data["step"] == "unbox" and failed.data["context_id"] == context_id
    assert failed.customer_id == floor["batch"].work_order.project.program.customer_id


def test_events_commit_with_their_change_or_not_at_all(api):
    with pytest.raises(RuntimeError), transaction.atomic():
        CustomerFactory(label="Never")
        raise RuntimeError
    assert events_of("CUS.created") == []
