"""Placed cycles never exceed what a work order needs, whichever side changes."""

import pytest

from batches.services import batches_create
from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow
from tests.helpers import assert_status, changeform_data, put_json
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed_50():
    """A work order needing 60 cycles, 50 of them placed in batches."""
    work_order = make_work_order(cycles=[(60, make_workflow())])
    batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=10, total=5
    )
    return work_order


def needed(work_order) -> list[int]:
    return list(WorkOrder.objects.get(pk=work_order.pk).lines.values_list("needed", flat=True))


def test_put_cannot_lower_needed_below_the_placed_cycles(api, placed_50):
    url = f"/api/work-orders/{placed_50.public_id}"
    fetched = api.get(url).json()
    fetched["cycles"][0]["needed"] = 10
    fetched["label"] = "Renamed too"

    response = put_json(api, url, fetched)

    assert_status(response, 409)
    problem = response.json()
    assert (problem["needed"], problem["placed"]) == (10, 50)
    assert "needs 10 cycles, 50 are placed" in problem["detail"]
    assert needed(placed_50) == [60]
    assert WorkOrder.objects.get(pk=placed_50.pk).label == "500 iPads"


def test_put_may_lower_needed_to_exactly_the_placed_cycles(api, placed_50):
    url = f"/api/work-orders/{placed_50.public_id}"
    fetched = api.get(url).json()
    fetched["cycles"][0]["needed"] = 50

    assert_status(put_json(api, url, fetched), 200)
    assert needed(placed_50) == [50]


def test_put_cannot_drop_a_line_with_placed_cycles(api, placed_50):
    url = f"/api/work-orders/{placed_50.public_id}"
    fetched = api.get(url).json()
    fetched["cycles"] = []

    response = put_json(api, url, fetched)

    assert_status(response, 409)
    assert response.json()["placed"] == 50
    assert needed(placed_50) == [60]


def test_the_admin_inline_cannot_lower_needed_below_the_placed_cycles(client, superuser, placed_50):
    client.force_login(superuser)
    url = f"/admin/workorders/workorder/{placed_50.pk}/change/"
    data = changeform_data(client.get(url))
    data["lines-0-needed"] = "40"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "needs 40 cycles, 50 are placed" in response.content.decode()
    assert needed(placed_50) == [60]


def test_the_split_page_needs_the_add_batch_permission(client, placed_50):
    viewer = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_workorder"))
    client.force_login(viewer)
    url = f"/admin/workorders/workorder/{placed_50.pk}/split/"
    form = {"queue": str(QueueFactory().pk), "size": "2", "confirm": "1"}

    assert client.get(url).status_code == 403
    assert client.post(url, form).status_code == 403
    assert placed_50.batches.count() == 5


@pytest.mark.parametrize("object_id", ["999999", "not-a-number", "1%2F2"])
def test_the_split_page_answers_404_for_unknown_ids(client, superuser, object_id):
    client.force_login(superuser)

    response = client.get(f"/admin/workorders/workorder/{object_id}/split/")

    assert response.status_code == 404
