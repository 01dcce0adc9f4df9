"""The docs' single objects in ``_embedded``: a work order's project, location, program and
customer, a batch's queue, work order, customer, program, project and location — each a
one-item array, empty where there is none or the reader may not read it, lists included."""

import pytest

from batches.services import batches_create
from tests.factories import LocationFactory, QueueFactory, make_work_order, make_workflow
from tests.helpers import client_with

pytestmark = pytest.mark.django_db


def ids(embedded: dict) -> dict:
    return {
        relation: [next(v for k, v in item.items() if k.endswith("_id")) for item in items]
        for relation, items in embedded.items()
    }


def test_a_work_order_embeds_its_project_location_program_and_customer(api):
    location = LocationFactory()
    work_order = make_work_order(location=location, cycles=[(2, make_workflow())])
    project = work_order.project

    body = api.get(f"/api/work-orders/{work_order.public_id}").json()
    listed = api.get("/api/work-orders").json()["_embedded"]["nter:work-orders"][0]

    expected = {
        "nter:work-order-project": [project.public_id],
        "nter:work-order-location": [location.public_id],
        "nter:work-order-program": [project.program.public_id],
        "nter:work-order-customer": [project.program.customer.public_id],
    }
    assert ids(body["_embedded"]) == expected
    assert ids(listed["_embedded"]) == expected


def test_a_work_order_without_a_location_embeds_none():
    work_order = make_work_order(cycles=[(2, make_workflow())])
    reader = client_with("work-order:read")

    body = reader.get(f"/api/work-orders/{work_order.public_id}").json()

    assert body["_embedded"]["nter:work-order-location"] == []
    assert len(body["_embedded"]["nter:work-order-project"]) == 1


def test_a_location_the_reader_may_not_read_is_not_embedded():
    work_order = make_work_order(location=LocationFactory(), cycles=[(2, make_workflow())])
    reader = client_with("work-order:read")

    body = reader.get(f"/api/work-orders/{work_order.public_id}").json()

    assert body["_embedded"]["nter:work-order-location"] == []
    assert body["location"] is None


def test_a_batch_embeds_its_six_single_objects(api):
    work_order = make_work_order(cycles=[(2, make_workflow())])
    queue = QueueFactory()
    batch = batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=2)[0]
    project = work_order.project

    body = api.get(f"/api/batches/{batch.public_id}").json()

    assert ids(body["_embedded"]) == {
        "nter:batch-queue": [queue.public_id],
        "nter:batch-work-order": [work_order.public_id],
        "nter:batch-customer": [project.program.customer.public_id],
        "nter:batch-program": [project.program.public_id],
        "nter:batch-project": [project.public_id],
        "nter:batch-location": [queue.location.public_id],
    }
