"""Work orders: what to produce, for which project, by when, through which workflows."""

import copy

import jsonschema
import pytest

from customers.models import Project
from tests.factories import (
    CustomerFactory,
    LocationFactory,
    ProgramFactory,
    ProjectFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_status, post_json, put_json
from workorders.models import WorkFlow, WorkOrder

from .conftest import SPLINES
from .seed_schema import WORK_ORDER

pytestmark = pytest.mark.django_db

# The seed's inline workflow, as its example writes it.
SEED_WORKFLOW = {
    "entity_type": "WKF",
    "entity_id": "work-flow",
    "created": "2019-08-19T00:01:02.000Z",
    "updated": "2020-08-19T01:01:02.000Z",
    "label": "My workflow",
    "schema_version": "1.0",
    "workflow_version": 7,
    "applies_to": "UNIT",
    "starts_at": "work-complete",
    "metadata": {"meta": "data"},
    "steps": {
        "work-complete": {
            "step_type": "success",
            "label": "work complete",
            "on_start": [],
            "on_complete": [],
        },
        "stop-poking-me": {
            "step_type": "fail",
            "label": "stop poking me",
            "on_start": [],
            "on_complete": [],
        },
    },
    "triggered_by": ["UNIT.created"],
}


def seed_body(target, **changes):
    body = {
        "label": "My workOrder",
        "description": "Workorder description",
        "work_order_type": "device",
        "begin_date": "2021-08-19T02:01:02.000Z",
        "due_date": "2021-08-19T02:01:02.000Z",
        "project": {"project_id": target.public_id},
        "current_status": copy.deepcopy(SPLINES),
        "cycles": [{"needed": 1, "work_flow": copy.deepcopy(SEED_WORKFLOW)}],
    }
    body.update(changes)
    return body


def messages(response):
    return {
        (m["keyword"], m["dataPath"]): m["message"] for m in response.json()["validation_messages"]
    }


def test_the_seed_example_creates_a_work_order_in_the_documented_shape(api, project):
    response = post_json(api, "/api/work-orders", seed_body(project))

    assert_status(response, 200)
    data = response.json()
    jsonschema.validate(data, WORK_ORDER, format_checker=jsonschema.FormatChecker())
    assert data["current_status"] == SPLINES
    assert data["project"]["project_id"] == project.public_id
    assert data["project"]["program"]["customer"]["customer_id"] == project.customer.public_id
    [cycle] = data["cycles"]
    assert cycle["needed"] == 1
    assert (cycle["pending"], cycle["complete"]) == (0, 0)
    workflow = WorkFlow.objects.get()
    assert cycle["work_flow"]["entity_id"] == workflow.public_id != "work-flow"
    assert cycle["work_flow"]["workflow_version"] == 1
    assert cycle["work_flow"]["steps"] == SEED_WORKFLOW["steps"]
    assert (data["start_date"], data["end_date"]) == (None, None)
    assert data["_links"]["self"]["href"].endswith(f"/api/work-orders/{data['work_order_id']}")
    for link in data["_links"].values():
        assert_status(api.get(link["href"]), 200)


def test_a_cycle_may_reference_an_existing_workflow(api, project):
    workflow = make_workflow()

    response = post_json(
        api,
        "/api/work-orders",
        seed_body(
            project, cycles=[{"needed": 500, "work_flow": {"work_flow_id": workflow.public_id}}]
        ),
    )

    assert_status(response, 200)
    assert response.json()["cycles"][0]["work_flow"]["work_flow_id"] == workflow.public_id
    assert WorkFlow.objects.count() == 1


def test_status_defaults_to_the_projects_first_pending_status(api, project):
    body = seed_body(project)
    del body["current_status"]

    data = post_json(api, "/api/work-orders", body).json()

    assert data["current_status"]["status"] == "Pending"


def test_location_is_optional_and_embedded(api, project):
    location = LocationFactory()

    data = post_json(
        api, "/api/work-orders", seed_body(project, location={"location_id": location.public_id})
    ).json()

    assert data["location"]["location_id"] == location.public_id
    assert data["location"]["formatted_address"] == location.formatted_address


@pytest.mark.parametrize(
    ("changes", "keyword", "data_path"),
    [
        ({"project": None}, "type", ".project"),
        ({"project": {"project_id": "missing"}}, "exists", ".project.project_id"),
        ({"location": {"location_id": "missing"}}, "exists", ".location.location_id"),
        (
            {"begin_date": "2021-09-01T00:00:00Z", "due_date": "2021-08-01T00:00:00Z"},
            "dateOrder",
            ".due_date",
        ),
        ({"due_date": 20260331}, "type", ".due_date"),
        (
            {"current_status": {"status": "Shipped", "category": "COMPLETE"}},
            "subset",
            ".current_status",
        ),
        (
            {"current_status": {"status": "Done", "category": "COMPLETE", "colour": "green"}},
            "additionalProperties",
            ".current_status.colour",
        ),
        ({"work_order_type": "vehicle"}, "enum", ".work_order_type"),
        ({"cycles": [{"needed": 0, "work_flow": SEED_WORKFLOW}]}, "minimum", ".cycles[0].needed"),
        ({"cycles": [{"needed": "5", "work_flow": SEED_WORKFLOW}]}, "type", ".cycles[0].needed"),
        ({"cycles": [{"needed": 5}]}, "required", ".cycles[0].work_flow"),
        (
            {"cycles": [{"needed": 5, "work_flow": {"work_flow_id": "missing"}}]},
            "exists",
            ".cycles[0].work_flow.work_flow_id",
        ),
        (
            {"cycles": [{"needed": 5, "work_flow": {**SEED_WORKFLOW, "starts_at": "nowhere"}}]},
            "graph",
            ".cycles[0].work_flow.starts_at",
        ),
        (
            {"cycles": [{"needed": 5, "work_flow": {**SEED_WORKFLOW, "applies_to": "BAT"}}]},
            "enum",
            ".cycles[0].work_flow.applies_to",
        ),
        (
            {"cycles": [{"needed": 5, "work_flow": SEED_WORKFLOW, "colour": 1}]},
            "additionalProperties",
            ".cycles[0].colour",
        ),
        (
            {
                "input_filter": [
                    {"key": "Serial-Number", "label": "x", "filters": [], "validators": []}
                ]
            },
            "pattern",
            ".input_filter[0].key",
        ),
    ],
)
def test_invalid_work_orders_are_400_and_store_nothing(api, project, changes, keyword, data_path):
    response = post_json(api, "/api/work-orders", seed_body(project, **changes))

    assert_status(response, 400)
    assert (keyword, data_path) in messages(response), messages(response)
    assert not WorkOrder.objects.exists()
    assert not WorkFlow.objects.exists()


def test_a_field_locked_by_the_project_may_not_be_redefined(api, project):
    field = {
        "key": "asset_tag",
        "label": "Asset tag",
        "filters": [],
        "validators": [],
        "locked": True,
    }
    Project.objects.filter(pk=project.pk).update(input_filter=[field])

    response = post_json(
        api,
        "/api/work-orders",
        seed_body(project, input_filter=[{**field, "validators": [{"type": "required"}]}]),
    )

    assert_status(response, 400)
    assert ("locked", ".input_filter") in messages(response)


def test_put_replaces_a_work_order_and_keeps_placed_cycle_versions(api, project):
    workflow = make_workflow()
    work_order = make_work_order(project=project, cycles=[(10, workflow)])
    fetched = api.get(f"/api/work-orders/{work_order.public_id}").json()
    fetched["label"] = "Renamed"
    fetched["cycles"][0]["needed"] = 20

    response = put_json(api, f"/api/work-orders/{work_order.public_id}", fetched)

    assert_status(response, 200)
    data = response.json()
    assert data["label"] == "Renamed"
    assert [c["needed"] for c in data["cycles"]] == [20]
    assert WorkFlow.objects.count() == 1, "a fetched workflow sent back is a reference"


def test_a_closed_work_orders_cycles_are_locked(api, project):
    workflow = make_workflow()
    work_order = make_work_order(
        project=project,
        cycles=[(10, workflow)],
        current_status={"status": "Done", "category": "COMPLETE"},
    )
    fetched = api.get(f"/api/work-orders/{work_order.public_id}").json()

    fetched["label"] = "Only the label"
    assert_status(put_json(api, f"/api/work-orders/{work_order.public_id}", fetched), 200)

    fetched["cycles"][0]["needed"] = 11
    response = put_json(api, f"/api/work-orders/{work_order.public_id}", fetched)
    assert_status(response, 423)
    assert work_order.lines.get().needed == 10


def test_deleting_a_work_order(api, project):
    work_order = make_work_order(project=project, cycles=[(1, make_workflow())])

    assert_status(api.delete(f"/api/work-orders/{work_order.public_id}"), 205)
    assert not WorkOrder.objects.exists()


def test_deleting_a_project_with_work_orders_is_locked(api, project):
    make_work_order(project=project)

    assert_status(api.delete(f"/api/projects/{project.public_id}"), 423)
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_project_cannot_drop_a_status_a_work_order_uses(api, project):
    make_work_order(project=project, label="Uses splines", current_status=copy.deepcopy(SPLINES))

    response = put_json(
        api,
        f"/api/projects/{project.public_id}",
        {
            "label": project.label,
            "program": {"program_id": project.program.public_id},
            "allowed_statuses": [{"status": "Pending", "category": "PENDING"}],
        },
    )

    assert_status(response, 409)
    assert "Uses splines" in messages(response)[("inUse", ".allowed_statuses")]


# Collections --------------------------------------------------------------------------------


def test_work_orders_have_relations_and_history(api, project, superuser):
    work_order_id = post_json(api, "/api/work-orders", seed_body(project)).json()["work_order_id"]

    [created] = api.get(f"/api/work-orders/{work_order_id}/relations").json()["_embedded"][
        "nter:relations"
    ]
    assert created["entity"]["entity_id"] == superuser.public_id
    diffs = api.get(f"/api/work-orders/{work_order_id}/diff").json()["_embedded"]["nter:diffs"]
    assert {"label", "current_status", "due_date"} <= {d["property"] for d in diffs}


def test_a_customer_cannot_drop_a_status_a_work_order_uses_below_inheriting_levels(api):
    customer = CustomerFactory()
    project = ProjectFactory(program=ProgramFactory(customer=customer))
    make_work_order(
        project=project,
        label="Blocked one",
        current_status={"status": "Blocked", "category": "BLOCKED"},
    )

    response = put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {
            "label": customer.label,
            "allowed_statuses": [{"status": "Pending", "category": "PENDING"}],
        },
    )

    assert_status(response, 409)
    assert 'work order "Blocked one"' in messages(response)[("inUse", ".allowed_statuses")]


def test_an_inline_workflow_sent_back_with_odd_read_only_keys_is_a_definition(api):
    from tests.factories import SIMPLE_STEPS, ProjectFactory

    project = ProjectFactory()
    definition = {
        "label": "Inline",
        "schema_version": "1.0",
        "applies_to": "UNIT",
        "starts_at": "image-device",
        "steps": SIMPLE_STEPS,
        "work_flow_id": {"not": "an id"},  # read-only: ignored
        "workflow_version": {},
    }
    body = {
        "label": "WO",
        "project": {"project_id": project.public_id},
        "begin_date": "2026-01-01T00:00:00Z",
        "due_date": "2026-02-01T00:00:00Z",
        "cycles": [{"needed": 1, "work_flow": definition}],
    }

    response = post_json(api, "/api/work-orders", body)

    assert_status(response, 200)
    assert WorkFlow.objects.filter(label="Inline").exists()
