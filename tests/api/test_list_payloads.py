"""List items embed their parents as summaries (id, label, self link); an item's own GET embeds
them whole. A page of 100 batches stays small whatever its parents hold (issue 24: 2 MB)."""

import pytest

from batches.services import batches_create
from tests.engine.shop import IPAD_STEPS
from tests.factories import QueueFactory, make_work_order, make_workflow

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 300 * 1024


@pytest.fixture
def page_of_batches():
    workflow = make_workflow(label="Big flow", steps=IPAD_STEPS, starts_at="unbox")
    work_order = make_work_order(cycles=[(100, workflow)], description="x" * 2000)
    return batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=1, total=100
    )


def test_a_page_of_100_batches_embeds_summaries_of_its_parents(api, page_of_batches):
    response = api.get("/api/batches?limit=100")

    assert response.status_code == 200
    items = response.json()["_embedded"]["nter:batches"]
    assert len(items) == 100
    assert len(response.content) < PAGE_LIMIT
    work_order = items[0]["work_order"]
    assert set(work_order) == {"work_order_id", "label", "_links"}
    assert work_order["_links"]["self"]["href"].endswith(
        f"/api/work-orders/{work_order['work_order_id']}"
    )
    assert set(items[0]["queue"]) == {"queue_id", "label", "_links"}
    embedded = items[0]["_embedded"]
    assert set(embedded["nter:batch-customer"][0]) == {"customer_id", "label", "_links"}
    assert embedded["nter:batch-work-order"][0] == work_order


def test_an_items_own_get_embeds_its_parents_whole(api, page_of_batches):
    batch = page_of_batches[0]

    body = api.get(f"/api/batches/{batch.public_id}").json()

    assert body["work_order"]["description"] == "x" * 2000
    assert "cycles" in body["work_order"] and "project" in body["work_order"]
    assert "total_batches" in body["queue"], "the queue with its counters"
    assert body["_embedded"]["nter:batch-project"][0]["project_id"]
