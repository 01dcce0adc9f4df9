"""Workflows: validated step definitions, graph rules and versions."""

import copy

import pytest

from tests.factories import make_work_order, make_workflow
from tests.helpers import assert_status, post_json, put_json
from workorders.models import WorkFlow

pytestmark = pytest.mark.django_db

STEPS = {
    "unbox": {
        "type": "user",
        "label": "Unbox",
        "goto": "check-battery",
        "options": {"component": "task-list", "payload": {"items": []}},
    },
    "check-battery": {
        "type": "choice",
        "label": "Battery charged?",
        "goto": "image-device",
        "goto-fail": "charge",
        "decision": [{"variable": "battery", "operator": "greater_than_equals", "operand": "80"}],
    },
    "charge": {"type": "wait", "label": "Charge", "time": 600, "goto": "check-battery"},
    "image-device": {
        "type": "function",
        "label": "Set status",
        "goto": "work-complete",
        "goto-fail": "work-failed",
        "options": {"function": "set-entity-status", "payload": {"status": {}}},
    },
    "work-complete": {"type": "success", "label": "Done"},
    "work-failed": {"type": "fail", "label": "Failed"},
}
BODY = {
    "label": "Provision iPad",
    "schema_version": "1.0",
    "applies_to": "UNIT",
    "triggered_by": ["UNIT.created"],
    "starts_at": "unbox",
    "steps": STEPS,
    "metadata": {"owner": "floor-1"},
}


def body(**changes):
    data = copy.deepcopy(BODY)
    data.update(changes)
    return data


def messages(response):
    return {
        (m["keyword"], m["dataPath"]): m["message"] for m in response.json()["validation_messages"]
    }


def test_create_workflow_answers_in_the_documented_example_shape(api):
    response = post_json(api, "/api/work-flows", BODY)

    assert_status(response, 200)
    data = response.json()
    assert data["workflow_version"] == 1
    assert data["slug"] == "provision-ipad"
    assert data["steps"]["unbox"]["step_type"] == "user"
    assert "type" not in data["steps"]["unbox"], "the examples' shape: step_type"
    assert data["steps"]["work-complete"]["on_start"] == []
    assert data["_links"]["self"]["href"].endswith(f"/api/work-flows/{data['work_flow_id']}")


def test_step_type_and_type_are_both_accepted(api):
    steps = copy.deepcopy(STEPS)
    steps["unbox"] = {**steps["unbox"], "step_type": "user"}
    del steps["unbox"]["type"]

    assert_status(post_json(api, "/api/work-flows", body(steps=steps)), 200)


@pytest.mark.parametrize(
    ("change", "keyword", "data_path"),
    [
        (lambda s: s["unbox"].update(type="teleport"), "enum", ".steps.unbox.type"),
        (lambda s: s["unbox"].pop("type"), "anyOf", ".steps.unbox"),
        (lambda s: s["unbox"].pop("label"), "required", ".steps.unbox.label"),
        (lambda s: s["charge"].update(time=901), "maximum", ".steps.charge.time"),
        (lambda s: s["unbox"].update(goto="Bad_Key"), "pattern", ".steps.unbox.goto"),
        (lambda s: s["unbox"].pop("goto"), "required", ".steps.unbox.goto"),
        (
            lambda s: s["unbox"].update(teleport=True),
            "additionalProperties",
            ".steps.unbox.teleport",
        ),
        (
            lambda s: s["image-device"]["options"].update(function="launch-rocket"),
            "enum",
            ".steps.image-device.options.function",
        ),
        (lambda s: s["check-battery"].pop("decision"), "required", ".steps.check-battery.decision"),
        (lambda s: s["unbox"].update(step_type="pass"), "const", ".steps.unbox.type"),
        (lambda s: s["unbox"].update(goto="nowhere"), "exists", ".steps.unbox.goto"),
        (
            lambda s: s.update({"Bad Key": {"type": "pass", "label": "x", "goto": "unbox"}}),
            "pattern",
            ".steps",
        ),
    ],
)
def test_invalid_steps_are_reported_at_their_path(api, change, keyword, data_path):
    steps = copy.deepcopy(STEPS)
    change(steps)

    response = post_json(api, "/api/work-flows", body(steps=steps))

    assert_status(response, 400)
    assert (keyword, data_path) in messages(response), messages(response)
    assert not WorkFlow.objects.exists()


@pytest.mark.parametrize(
    ("changes", "data_path", "text"),
    [
        ({"starts_at": "nowhere"}, ".starts_at", 'names no step: "nowhere"'),
        ({"starts_at": "work-complete"}, ".steps", 'step "unbox" cannot be reached'),
        (
            {
                "steps": {
                    "a-b": {"type": "pass", "label": "A", "goto": "b-c"},
                    "b-c": {"type": "pass", "label": "B", "goto": "a-b"},
                },
                "starts_at": "a-b",
            },
            ".steps",
            "no success step can be reached",
        ),
    ],
)
def test_broken_graphs_are_rejected(api, changes, data_path, text):
    response = post_json(api, "/api/work-flows", body(**changes))

    assert_status(response, 400)
    [message] = [m for m in response.json()["validation_messages"] if m["dataPath"] == data_path]
    assert message["keyword"] == "graph" and text in message["message"]
    assert not WorkFlow.objects.exists()


def test_an_unreachable_fail_step_is_allowed(api):
    """The seed's own example ends in a fail step nothing points at."""
    steps = {
        "work-complete": {"step_type": "success", "label": "work complete"},
        "stop-poking-me": {"step_type": "fail", "label": "stop poking me"},
    }

    assert_status(
        post_json(api, "/api/work-flows", body(steps=steps, starts_at="work-complete")), 200
    )


@pytest.mark.parametrize(
    ("changes", "keyword", "data_path"),
    [
        ({"schema_version": "2.0"}, "enum", ".schema_version"),
        ({"applies_to": "BAT"}, "enum", ".applies_to"),
        ({"triggered_by": ["UNIT.exploded"]}, "enum", ".triggered_by[0]"),
        ({"metadata": {"owner": 5}}, "type", ".metadata.owner"),
        ({"label": 1}, "type", ".label"),
    ],
)
def test_invalid_workflow_fields(api, changes, keyword, data_path):
    response = post_json(api, "/api/work-flows", body(**changes))

    assert_status(response, 400)
    assert (keyword, data_path) in messages(response), messages(response)


def test_editing_steps_makes_a_new_version_and_cycles_keep_theirs(api):
    workflow_id = post_json(api, "/api/work-flows", BODY).json()["work_flow_id"]
    workflow = WorkFlow.objects.get(public_id=workflow_id)
    work_order = make_work_order(cycles=[(10, workflow)])

    renamed = put_json(api, f"/api/work-flows/{workflow_id}", body(label="Provision iPad Pro"))
    assert renamed.json()["workflow_version"] == 1, "a new label is not a new process"

    steps = copy.deepcopy(STEPS)
    steps["work-complete"]["label"] = "All done"
    edited = put_json(api, f"/api/work-flows/{workflow_id}", body(steps=steps))
    assert edited.json()["workflow_version"] == 2

    cycle = api.get(f"/api/work-orders/{work_order.public_id}").json()["cycles"][0]
    assert cycle["work_flow"]["workflow_version"] == 1
    assert cycle["work_flow"]["steps"]["work-complete"]["label"] == "Done"
    newer = make_work_order(project=work_order.project, cycles=[(5, WorkFlow.objects.get())])
    newer_cycle = api.get(f"/api/work-orders/{newer.public_id}").json()["cycles"][0]
    assert newer_cycle["work_flow"]["workflow_version"] == 2


def test_deleting_a_workflow_in_use_is_locked(api):
    workflow = make_workflow()
    make_work_order(cycles=[(1, workflow)])

    assert_status(api.delete(f"/api/work-flows/{workflow.public_id}"), 423)
    assert WorkFlow.objects.filter(pk=workflow.pk).exists()


def test_deleting_an_unused_workflow(api):
    workflow = make_workflow()

    assert_status(api.delete(f"/api/work-flows/{workflow.public_id}"), 205)
    assert not WorkFlow.objects.exists()


def test_workflow_list_filters_and_pages(api, django_assert_max_num_queries):
    for index in range(4):
        make_workflow(label=f"Unit flow {index}")
    make_workflow(label="Customer flow", applies_to="CUS")

    with django_assert_max_num_queries(6) as small:
        api.get("/api/work-flows?limit=1")
    with django_assert_max_num_queries(6) as large:
        page = api.get("/api/work-flows?limit=100").json()
    assert len(small.captured_queries) == len(large.captured_queries)
    assert page["total_count"] == 5
    customers = api.get("/api/work-flows?filter[applies_to]=CUS").json()
    assert [w["label"] for w in customers["_embedded"]["nter:work-flows"]] == ["Customer flow"]


def test_workflows_have_relations_and_history(api, superuser):
    workflow_id = post_json(api, "/api/work-flows", BODY).json()["work_flow_id"]

    [created] = api.get(f"/api/work-flows/{workflow_id}/relations").json()["_embedded"][
        "nter:relations"
    ]
    assert created["entity"]["entity_id"] == superuser.public_id
    assert_status(api.get(f"/api/work-flows/{workflow_id}/diff"), 200)
