"""What each automatic step does to the unit, machine steps closed by an integration, retries
of automatic failures, and the run's data values (locked ones stay)."""

import pytest

from tests.factories import LocationFactory, ProjectFactory, UnitFactory
from tests.helpers import assert_problem, assert_status, post_json
from workorders.services import WorkFlowFields, workflow_update

from .shop import build_floor

pytestmark = pytest.mark.django_db


def run_on_unit(api, steps, starts_at):
    floor = build_floor(devices=1, steps=steps, starts_at=starts_at)
    unit = UnitFactory(part=floor["part"], current_location=floor["queue"].location)
    url = f"/api/work-flows/{floor['workflow'].public_id}/contexts"
    response = post_json(api, url, {"entity_type": "UNIT", "entity_id": unit.public_id})
    assert_status(response, 200)
    return floor, unit, response.json()


def function(name, payload, goto="done", **extra):
    return {
        "step_type": "function",
        "label": name,
        "goto": goto,
        "goto-fail": "failed",
        "options": {"function": name, "payload": payload},
        **extra,
    }


ENDS = {
    "done": {"step_type": "success", "label": "Done"},
    "failed": {"step_type": "fail", "label": "Failed"},
}


def test_functions_move_allocate_and_set_the_status_of_the_unit(api):
    dock = LocationFactory(label="Shipping dock")
    floor = build_floor(devices=1)
    steps = {
        "move": function(
            "set-entity-location",
            {"location_type": "location_id", "location_id": dock.public_id},
            goto="allocate",
        ),
        "allocate": function(
            "allocate-unit-to-project",
            {"project_id": floor["project"].public_id, "part_id": floor["part"].public_id},
            goto="status",
        ),
        "status": function(
            "set-entity-status", {"status": {"status": "Complete", "category": "COMPLETE"}}
        ),
        **ENDS,
    }
    workflow = floor["workflow"]
    fields = WorkFlowFields(label=workflow.label, applies_to="UNIT", starts_at="move", steps=steps)
    workflow_update(workflow, actor=None, fields=fields)
    unit = UnitFactory(part=floor["part"], current_location=floor["queue"].location)

    response = post_json(
        api,
        f"/api/work-flows/{workflow.public_id}/contexts",
        {"entity_type": "UNIT", "entity_id": unit.public_id},
    )

    assert_status(response, 200)
    assert response.json()["status"] == "SUCCEEDED"
    unit.refresh_from_db()
    assert unit.current_location == dock
    assert unit.project == floor["project"]
    assert unit.current_status["status"] == "Complete"
    part = api.get(f"/api/parts/{floor['part'].public_id}").json()
    assert (part["total_units_allocated"], part["total_units_unallocated"]) == (1, 0)


def test_allocating_to_another_customers_project_fails_the_step(api):
    stranger = ProjectFactory()
    steps = {
        "allocate": function("allocate-unit-to-project", {"project_id": stranger.public_id}),
        **ENDS,
    }

    _floor, unit, run = run_on_unit(api, steps, "allocate")

    assert run["status"] == "FAILED"
    unit.refresh_from_db()
    assert unit.project is None


def test_a_failing_function_is_retried_then_takes_its_failure_edge(api):
    steps = {
        "status": function(
            "set-entity-status",
            {"status": {"status": "Shipped", "category": "COMPLETE"}},
            on_error={"retry": 2},
        ),
        **ENDS,
    }

    _floor, unit, run = run_on_unit(api, steps, "status")

    assert run["status"] == "FAILED"
    assert run["failed_steps"] == [{"step": "status", "failed_count": 3}]
    failure = next(step for step in run["last_steps"] if step["step_name"] == "status")
    assert failure["did_error"] is True and "Shipped" in failure["message"]
    unit.refresh_from_db()
    assert unit.current_status["category"] == "PENDING"


def test_a_machine_step_is_closed_by_the_integration_with_its_result(api):
    steps = {
        "provision": {
            "step_type": "machine",
            "label": "ACE provisioning",
            "goto": "done",
            "goto-fail": "failed",
            "options": {"application": {"application_id": "ace-ios"}, "configuration": {}},
        },
        **ENDS,
    }
    _floor, _unit, run = run_on_unit(api, steps, "provision")
    assert run["waiting_for_user"] is False and run["interactive_steps"] == ["provision"]

    response = api.patch(
        f"/api/contexts/{run['context_id']}/provision",
        {"close_step": {"step": "provision", "options": {"profile": "retail-v3"}}},
        format="json",
    )

    assert_status(response, 200)
    done = response.json()
    assert done["status"] == "SUCCEEDED"
    assert done["last_steps"][0]["options"] == {"profile": "retail-v3"}


def test_locked_context_values_stay_and_a_second_write_fails_the_step(api):
    steps = {
        "first": {
            "step_type": "pass",
            "label": "Tag",
            "goto": "second",
            "context": [{"key": "lane", "value": "A", "lock": True}],
        },
        "second": {
            "step_type": "pass",
            "label": "Retag",
            "goto": "done",
            "goto-fail": "failed",
            "context": [{"key": "lane", "value": "B"}],
        },
        **ENDS,
    }

    _floor, _unit, run = run_on_unit(api, steps, "first")

    assert run["data"] == {"lane": "A"}
    assert run["status"] == "FAILED"


def test_a_closed_run_cannot_be_stepped(api):
    steps = {"pass-on": {"step_type": "pass", "label": "Pass", "goto": "done"}, **ENDS}
    _floor, _unit, run = run_on_unit(api, steps, "pass-on")

    response = api.patch(
        f"/api/contexts/{run['context_id']}/pass-on",
        {"close_step": {"step": "pass-on"}},
        format="json",
    )

    assert run["status"] == "SUCCEEDED"
    assert_problem(response, 409, "Conflict")
