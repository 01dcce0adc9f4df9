"""The batch change form saves through the same update service as ``PUT /batches/{id}``."""

import pytest

from batches.models import Batch
from batches.services import batches_create
from relations.models import Relation
from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow
from tests.helpers import changeform_data

pytestmark = pytest.mark.django_db

INWARD = "relations-relation-object_type-object_id"


@pytest.fixture
def third_batch():
    work_order = make_work_order(cycles=[(500, make_workflow())])
    queue = QueueFactory()
    batches = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=10, total=5
    )
    return batches[2]


def change_url(batch):
    return f"/admin/batches/batch/{batch.pk}/change/"


def form_for(manager, batch, **changes):
    data = changeform_data(manager.get(change_url(batch)))
    return {**data, **changes}


def test_adding_a_technician_keeps_the_batch_in_its_place(manager, third_batch):
    tech = UserFactory()
    data = form_for(manager, third_batch)
    total = int(data[f"{INWARD}-TOTAL_FORMS"])
    data.update(
        {
            f"{INWARD}-TOTAL_FORMS": str(total + 1),
            f"{INWARD}-{total}-entity": f"USER:{tech.public_id}",
            f"{INWARD}-{total}-relation": "tech",
        }
    )

    response = manager.post(change_url(third_batch), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    third_batch.refresh_from_db()
    assert third_batch.order == 3
    assert Relation.objects.filter(relation="tech", subject_id=tech.pk).count() == 1


def test_typed_order_and_status_are_saved_as_typed(manager, third_batch):
    data = form_for(manager, third_batch, order="1", current_status="In Progress")

    response = manager.post(change_url(third_batch), data)

    assert response.status_code == 302
    third_batch.refresh_from_db()
    assert third_batch.order == 1
    assert third_batch.current_status["status"] == "In Progress"
    latest = third_batch.history.first()
    assert (latest.order, latest.current_status["status"]) == (1, "In Progress")


def test_a_status_outside_the_project_is_a_form_error_and_changes_nothing(manager, third_batch):
    before = third_batch.history.count()
    data = form_for(manager, third_batch, order="1", current_status="Shipped")

    response = manager.post(change_url(third_batch), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    stored = Batch.objects.get(pk=third_batch.pk)
    assert (stored.order, stored.current_status) == (3, None)
    assert third_batch.history.count() == before
