"""Work orders without dates (the docs make them optional): created with only a label and a
project, never overdue nor at risk, sorted after every dated one, pages included."""

import pytest

from tests.factories import ProjectFactory, make_work_order, make_workflow
from tests.helpers import assert_status, post_json

pytestmark = pytest.mark.django_db


def test_a_work_order_needs_only_a_label_and_a_project(api):
    project = ProjectFactory()

    response = post_json(
        api,
        "/api/work-orders",
        {"label": "Spare iPads", "project": {"project_id": project.public_id}},
    )

    assert_status(response, 200)
    body = response.json()
    assert body["begin_date"] is None and body["due_date"] is None


def test_undated_work_orders_sort_last_both_ways_and_page_through(api):
    project = ProjectFactory()
    dated = [
        make_work_order(project=project, label=f"Dated {n}", due_date=f"2026-0{n + 2}-01T00:00:00Z")
        for n in (3, 1, 2)
    ]
    undated = [
        make_work_order(project=project, label=f"Undated {n}", begin_date=None, due_date=None)
        for n in range(3)
    ]

    def labels(ordering):
        seen, url = [], f"/api/work-orders?ordering={ordering}&limit=2"
        while url:
            page = api.get(url).json()
            seen += [w["label"] for w in page["_embedded"]["nter:work-orders"]]
            url = page["_links"].get("next", {}).get("href")
        return seen

    assert labels("due_date") == ["Dated 1", "Dated 2", "Dated 3", *(w.label for w in undated)]
    assert labels("-due_date") == [
        "Dated 3",
        "Dated 2",
        "Dated 1",
        *(w.label for w in reversed(undated)),
    ]
    assert len(dated) == 3


def test_an_undated_work_order_is_neither_overdue_nor_at_risk(manager):
    make_work_order(label="No dates", begin_date=None, due_date=None, cycles=[(5, make_workflow())])

    page = manager.get("/admin/")

    assert page.status_code == 200
    assert "No dates" not in page.content.decode()
    listing = manager.get("/admin/workorders/workorder/")
    assert "No dates" in listing.content.decode()
