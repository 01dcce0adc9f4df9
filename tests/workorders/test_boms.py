"""Bills of materials: the parts a workflow's runs allocate, what the open work orders at a
location need of them, and how many units of each are free there."""

import pytest

from tests.factories import (
    LocationFactory,
    PartFactory,
    ProjectFactory,
    UnitFactory,
    make_work_order,
)
from tests.helpers import assert_problem, assert_status
from workorders.services import WorkFlowFields, workflow_create

pytestmark = pytest.mark.django_db


def allocating_workflow(part, project):
    steps = {
        "allocate": {
            "step_type": "function",
            "label": "Allocate the device",
            "options": {
                "function": "allocate-unit-to-project",
                "payload": {"part_id": part.public_id, "project_id": project.public_id},
            },
            "goto": "done",
        },
        "done": {"step_type": "success", "label": "Done"},
    }
    return workflow_create(
        actor=None,
        fields=WorkFlowFields(
            label="Allocate iPads", applies_to="UNIT", starts_at="allocate", steps=steps
        ),
    )


@pytest.fixture
def stock():
    part = PartFactory(label="iPad 10th gen")
    project = ProjectFactory(program__customer=part.customer)
    workflow = allocating_workflow(part, project)
    store, elsewhere = LocationFactory(label="Albany"), LocationFactory(label="Boston")
    order = make_work_order(project=project, label="PO-1", cycles=[(10, workflow)], location=store)
    for _ in range(3):
        UnitFactory(part=part, current_location=store)
    UnitFactory(part=part, current_location=store, project=project)  # taken already
    UnitFactory(part=part, current_location=elsewhere)
    return {
        "part": part,
        "workflow": workflow,
        "store": store,
        "elsewhere": elsewhere,
        "order": order,
    }


def test_a_workflows_bom_at_a_location_counts_needed_and_free_units(api, stock):
    workflow, store = stock["workflow"], stock["store"]

    listed = api.get(f"/api/work-flows/{workflow.public_id}/boms")

    assert_status(listed, 200)
    [bom] = listed.json()["_embedded"]["nter:boms"]
    assert bom["bom_id"] == f"{workflow.public_id}_{store.public_id}"
    assert bom["label"] == "Allocate iPads at Albany"
    embedded = bom["_embedded"]
    assert embedded["nter:bom-work-order"][0]["work_order_id"] == stock["order"].public_id
    assert embedded["nter:bom-work-flow"][0]["work_flow_id"] == workflow.public_id
    [part] = embedded["nter:bom-available-parts"]
    assert (part["part_id"], part["needed"], part["available"]) == (
        stock["part"].public_id,
        10,
        3,
    )
    links = bom["_links"]
    assert links["self"]["href"].endswith(f"/boms/{store.public_id}")
    assert links["nter:bom-location"]["href"].endswith(f"/locations/{store.public_id}")
    detail = api.get(links["self"]["href"])
    assert_status(detail, 200)
    assert detail.json()["bom_id"] == bom["bom_id"]


def test_a_location_without_open_orders_needs_nothing_and_an_unknown_one_is_not_found(api, stock):
    workflow = stock["workflow"]
    url = f"/api/work-flows/{workflow.public_id}/boms"

    there = api.get(f"{url}/{stock['elsewhere'].public_id}").json()

    [part] = there["_embedded"]["nter:bom-available-parts"]
    assert (part["needed"], part["available"]) == (0, 1)
    assert there["_embedded"]["nter:bom-work-order"] == []
    assert "nter:bom-work-order" not in there["_links"]
    assert_problem(api.get(f"{url}/nowhere"), 404, "Not Found")


def test_a_bom_page_reads_a_fixed_number_of_queries(api, stock, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workflow = stock["workflow"]
    url = f"/api/work-flows/{workflow.public_id}/boms"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert_status(api.get(url), 200)
        return len(captured)

    one = queries()
    project = stock["order"].project
    for n in range(5):
        make_work_order(
            project=project,
            label=f"PO-{n + 2}",
            cycles=[(2, workflow)],
            location=LocationFactory(label=f"Store {n}"),
        )
    assert len(api.get(url).json()["_embedded"]["nter:boms"]) == 6
    assert queries() == one


def test_the_work_order_page_and_the_station_show_the_bom(stock, superuser):
    from django.test import Client
    from django.urls import reverse

    from engine.services import context_start
    from workorders.services import current_version

    browser = Client()
    browser.force_login(superuser)
    order = stock["order"]

    page = browser.get(reverse("admin:workorders_workorder_change", args=[order.pk]))

    assert page.status_code == 200
    assert "Bill of materials" in page.text
    assert "<td>iPad 10th gen</td><td>10</td><td>3</td>" in page.text
    unit = UnitFactory(part=stock["part"], current_location=stock["store"])
    run = context_start(actor=superuser, version=current_version(stock["workflow"]), unit=unit)
    station = browser.get(reverse("admin:engine_station_run", args=[run.pk]))
    assert station.status_code == 200
    assert 'id="bill-of-materials"' in station.text
    assert "Parts for this workflow at Albany" in station.text
