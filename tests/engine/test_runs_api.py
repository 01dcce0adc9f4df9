"""Devices walked through their workflow over the API: take a device, close its steps, QC by
another technician, failures, restarts, and the counters that follow."""

import json

import pytest

from batches.models import Cycle
from engine.models import Context
from tests.factories import UnitFactory, UserFactory
from tests.helpers import assert_integrity, assert_problem, assert_status, client_for, post_json
from units.models import Unit
from workorders.services import WorkFlowFields, workflow_update

from .shop import DETAILS, IPAD_STEPS, QC_OK, build_floor

pytestmark = pytest.mark.django_db


def take(client, batch, serial, **extra):
    return post_json(
        client,
        f"/api/batches/{batch.public_id}/cycles/next",
        {"raw_serial_number": serial, **extra},
    )


def close(client, context_id, step, body=None, *, fail=False):
    if fail:
        return client.patch(
            f"/api/contexts/{context_id}/{step}",
            json.dumps({"type": "fail", "step": step}),
            content_type="application/fail-step+json",
        )
    body = body or {"step": step}
    return client.patch(f"/api/contexts/{context_id}/{step}", {"close_step": body}, format="json")


def counters(work_order):
    """The work order's counters, as its managers read them."""
    response = client_for(UserFactory(is_superuser=True)).get(
        f"/api/work-orders/{work_order.public_id}"
    )
    assert_status(response, 200)
    line = response.json()["cycles"][0]
    return {
        key: line[key] for key in ("pending", "in_progress", "verifying", "complete", "blocked")
    }


def test_a_scanned_device_gets_the_next_cycle_and_its_run_starts(floor, ada):
    response = take(ada, floor["batch"], "DMPF9FXK1ABC")

    assert_status(response, 200)
    context = response.json()
    assert context["current_steps"] == ["unbox"]
    assert context["interactive_steps"] == ["unbox"]
    assert context["waiting_for_user"] is True and context["active"] is True
    assert context["steps"]["unbox"]["label"] == "Unbox and inspect"
    assert context["using"]["entity_id"] == floor["batch"].public_id
    unit = Unit.objects.get(raw_serial_number="DMPF9FXK1ABC")
    assert context["entity"] == {
        "entity_type": "UNIT",
        "entity_id": unit.public_id,
        "label": "DMPF9FXK1ABC",
        "serial_number": "F9FXK1ABC",
    }
    assert unit.part == floor["part"] and unit.current_location == floor["queue"].location
    cycle = Cycle.objects.get(unit=unit)
    assert cycle.current_status["category"] == "IN_PROGRESS"
    assert counters(floor["work_order"])["in_progress"] == 1


def test_a_device_walks_through_its_workflow_to_success(floor, ada, grace):
    context_id = take(ada, floor["batch"], "DMP0001").json()["context_id"]

    assert_status(
        close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"}), 200
    )
    response = close(ada, context_id, "enter-details", DETAILS)

    # The choice and the function ran by themselves; the run waits on QC: VERIFYING.
    assert_status(response, 200)
    run = response.json()
    assert run["current_steps"] == ["quality-check"]
    assert run["data"] == {"imei": "356789012345678", "battery": "87"}
    assert counters(floor["work_order"])["verifying"] == 1
    unit = Unit.objects.get(raw_serial_number="DMP0001")
    assert unit.tenant_part_number == "NW-0001"
    assert unit.current_status["category"] == "COMPLETE"

    # QC by another technician: the run succeeds, the cycle is COMPLETE.
    response = close(grace, context_id, "quality-check", QC_OK)
    assert_status(response, 200)
    run = response.json()
    assert run["active"] is False and run["status"] == "SUCCEEDED"
    assert run["ended_at"] is not None and run["time_to_run"] >= 0
    assert [step["step_name"] for step in run["last_steps"]] == [
        "unbox",
        "enter-details",
        "charged",
        "mark-provisioned",
        "quality-check",
        "done",
    ]
    closers = {step["step_name"]: step["closed_by"] for step in run["last_steps"]}
    assert closers["unbox"] == floor["techs"][0].public_id
    assert closers["quality-check"] == floor["techs"][1].public_id
    assert counters(floor["work_order"]) == {
        "pending": 9,
        "in_progress": 0,
        "verifying": 0,
        "complete": 1,
        "blocked": 0,
    }
    assert_integrity()


def test_qc_closed_by_whoever_closed_the_step_before_is_a_conflict(floor, ada):
    context_id = take(ada, floor["batch"], "DMP0002").json()["context_id"]
    close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    close(ada, context_id, "enter-details", DETAILS)
    before = Context.objects.get(public_id=context_id).last_steps

    response = close(ada, context_id, "quality-check", QC_OK)

    assert_problem(response, 409, "Conflict")
    assert "QC" in response.json()["detail"]
    context = Context.objects.get(public_id=context_id)
    assert context.current_steps == ["quality-check"] and context.last_steps == before


def test_a_failing_decision_blocks_the_cycle_and_a_restart_runs_it_again(floor, ada):
    context_id = take(ada, floor["batch"], "DMP0003").json()["context_id"]
    close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    low = {
        **DETAILS,
        "fields": [{"label": "IMEI", "value": "1"}, {"label": "Battery %", "value": "12"}],
    }

    run = close(ada, context_id, "enter-details", low).json()

    assert run["status"] == "FAILED" and run["active"] is False
    assert run["last_steps"][-1]["step_name"] == "failed"
    cycle = Cycle.objects.get(unit__raw_serial_number="DMP0003")
    assert cycle.category == "BLOCKED"
    assert counters(floor["work_order"])["blocked"] == 1

    response = ada.post(f"/api/cycles/{cycle.public_id}/restart")

    assert_status(response, 200)
    again = response.json()
    assert again["context_id"] != context_id and again["current_steps"] == ["unbox"]
    cycle.refresh_from_db()
    assert cycle.category == "IN_PROGRESS"
    history = ada.get(f"/api/cycles/{cycle.public_id}/contexts").json()
    assert [c["status"] for c in history["_embedded"]["nter:contexts"]] == ["FAILED", "RUNNING"]
    assert_integrity()


@pytest.mark.parametrize("media_type", ["application/fail-step+json", "application/json"])
def test_failing_a_step_by_hand_follows_its_failure_edge(floor, ada, media_type):
    """The fail body as its own media type, or as plain JSON (a generated client sends one
    media type per operation)."""
    context_id = take(ada, floor["batch"], "DMP0004").json()["context_id"]

    response = ada.patch(
        f"/api/contexts/{context_id}/unbox",
        json.dumps({"type": "fail", "step": "unbox"}),
        content_type=media_type,
    )

    assert_status(response, 200)
    run = response.json()
    assert run["status"] == "FAILED"
    assert run["failed_steps"] == [{"step": "unbox", "failed_count": 1}]


def test_a_bad_checklist_item_fails_qc(floor, ada, grace):
    context_id = take(ada, floor["batch"], "DMP0005").json()["context_id"]
    close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    close(ada, context_id, "enter-details", DETAILS)
    bad = {
        "step": "quality-check",
        "items": [{"slug": "screen", "value": "bad"}, {"slug": "mdm", "value": "ok"}],
    }

    run = close(grace, context_id, "quality-check", bad).json()

    assert run["status"] == "FAILED"
    assert "Screen intact" in run["last_steps"][-2]["message"]
    assert Cycle.objects.get(unit__raw_serial_number="DMP0005").category == "BLOCKED"


@pytest.mark.parametrize(
    "step, body, status, title",
    [
        ("no-such-step", {"step": "no-such-step"}, 404, "Not Found"),
        ("enter-details", DETAILS, 409, "Conflict"),
        ("unbox", {"step": "enter-details"}, 400, "Bad Request"),
        ("unbox", {"step": "unbox", "attachment_id": "another-guide"}, 400, "Bad Request"),
        ("unbox", {"step": "unbox", "type": "finish"}, 400, "Bad Request"),
    ],
    ids=["unknown-step", "not-current", "other-step-in-body", "wrong-attachment", "bad-type"],
)
def test_bad_step_completions_are_problems_and_change_nothing(
    floor, ada, step, body, status, title
):
    context_id = take(ada, floor["batch"], "DMP0006").json()["context_id"]
    before = Context.objects.get(public_id=context_id)

    response = close(ada, context_id, step, body)

    assert_problem(response, status, title)
    after = Context.objects.get(public_id=context_id)
    assert (after.current_steps, after.last_steps, after.data) == (
        before.current_steps,
        before.last_steps,
        before.data,
    )


def test_missing_values_and_unevaluated_items_are_400s(floor, ada, grace):
    context_id = take(ada, floor["batch"], "DMP0007").json()["context_id"]
    close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})

    missing = close(
        ada,
        context_id,
        "enter-details",
        {"step": "enter-details", "fields": [{"label": "IMEI", "value": "1"}]},
    )
    assert_problem(missing, 400, "Bad Request")
    assert "Battery %" in str(missing.json())

    close(ada, context_id, "enter-details", DETAILS)
    half = close(
        grace,
        context_id,
        "quality-check",
        {"step": "quality-check", "items": [{"slug": "screen", "value": "ok"}]},
    )
    assert_problem(half, 400, "Bad Request")
    assert "Enrolled in MDM" in str(half.json())
    assert Context.objects.get(public_id=context_id).current_steps == ["quality-check"]


def test_a_device_already_in_an_unfinished_cycle_cannot_be_scanned_again(floor, ada, grace):
    assert_status(take(ada, floor["batch"], "DMP0008"), 200)

    response = take(grace, floor["batch"], "DMP0008")

    assert_problem(response, 409, "Conflict")
    assert Cycle.objects.filter(unit__isnull=False).count() == 1
    assert Unit.objects.filter(raw_serial_number="DMP0008").count() == 1


def test_a_serial_that_fails_the_parts_input_filter_is_a_400(floor, ada):
    part = floor["part"]
    part.input_filter = [
        {
            "key": "serial_number",
            "label": "Serial number",
            "filters": [],
            "validators": [{"type": "mask", "options": {"mask": "^DMP[0-9A-Z]{4,}$"}}],
        }
    ]
    part.save()

    response = take(ada, floor["batch"], "XYZ-1")

    assert_problem(response, 400, "Bad Request")
    assert Unit.objects.count() == 0 and not Cycle.objects.filter(unit__isnull=False).exists()
    assert_status(take(ada, floor["batch"], "DMPABCD1"), 200)


def test_a_batch_with_no_pending_cycle_left_is_a_conflict(ada):
    small = build_floor(devices=1)
    ada = client_for(small["techs"][0])
    assert_status(take(ada, small["batch"], "DMP1"), 200)

    assert_problem(take(ada, small["batch"], "DMP2"), 409, "Conflict")


def test_a_workflow_with_steps_the_engine_does_not_run_is_refused_before_anything_starts():
    steps = {
        "settle": {"step_type": "wait", "label": "Let it settle", "time": 30, "goto": "done"},
        "done": {"step_type": "success", "label": "Done"},
    }
    floor = build_floor(steps=steps, starts_at="settle")
    ada = client_for(floor["techs"][0])

    response = take(ada, floor["batch"], "DMP0009")

    problem = assert_problem(response, 400, "Bad Request")
    assert '"settle" (wait)' in problem["detail"]
    assert not Unit.objects.exists() and not Context.objects.exists()
    assert not Cycle.objects.filter(unit__isnull=False).exists()


def test_a_run_keeps_the_version_its_cycle_is_pinned_to(floor, ada):
    edited = {**IPAD_STEPS, "unbox": {**IPAD_STEPS["unbox"], "label": "Unbox (new)"}}
    workflow = floor["workflow"]
    workflow_update(
        workflow,
        actor=None,
        fields=WorkFlowFields(
            label=workflow.label, applies_to="UNIT", starts_at="unbox", steps=edited
        ),
    )

    run = take(ada, floor["batch"], "DMP0010").json()

    assert run["workflow"]["workflow_version"] == 1
    assert run["steps"]["unbox"]["label"] == "Unbox and inspect"


def test_a_technician_runs_only_the_batches_they_are_assigned_to(floor, ada):
    stranger_floor = build_floor(devices=2)
    context_id = take(ada, floor["batch"], "DMP0011").json()["context_id"]
    outsider = client_for(stranger_floor["techs"][0])

    assert_problem(take(ada, stranger_floor["batch"], "DMP0012"), 404, "Not Found")
    assert_problem(outsider.get(f"/api/contexts/{context_id}"), 404, "Not Found")
    assert_problem(close(outsider, context_id, "unbox"), 404, "Not Found")


def test_a_cycle_is_cancelled_and_its_run_ends(floor, ada):
    take(ada, floor["batch"], "DMP0013")
    cycle = Cycle.objects.get(unit__raw_serial_number="DMP0013")

    response = ada.post(f"/api/cycles/{cycle.public_id}/cancel")

    assert_status(response, 200)
    assert response.json()["current_status"]["category"] == "CANCELLED"
    assert Context.objects.get(cycle=cycle).state == "CANCELLED"
    assert_problem(ada.post(f"/api/cycles/{cycle.public_id}/cancel"), 409, "Conflict")
    assert_problem(ada.post(f"/api/cycles/{cycle.public_id}/restart"), 409, "Conflict")
    # The device is free again: it can be scanned into the next cycle.
    assert_status(take(ada, floor["batch"], "DMP0013"), 200)


def test_a_run_starts_on_a_unit_outside_any_batch(api):
    floor = build_floor(devices=1)
    unit = UnitFactory(part=floor["part"], current_location=floor["queue"].location)
    url = f"/api/work-flows/{floor['workflow'].public_id}/contexts"

    response = post_json(api, url, {"entity_type": "UNIT", "entity_id": unit.public_id})

    assert_status(response, 200)
    assert response.json()["using"] is None
    listed = api.get(url).json()["_embedded"]["nter:contexts"]
    assert [c["context_id"] for c in listed] == [response.json()["context_id"]]
    missing = post_json(api, url, {"entity_type": "UNIT", "entity_id": "nope"})
    assert_problem(missing, 400, "Bad Request")


def test_work_order_contexts_filter_by_status(floor, ada, api):
    first = take(ada, floor["batch"], "DMP0014").json()["context_id"]
    take(ada, floor["batch"], "DMP0015")
    close(ada, first, "unbox", fail=True)
    url = f"/api/work-orders/{floor['work_order'].public_id}/contexts"

    failed = api.get(url, {"filter[status]": "FAILED"}).json()["_embedded"]["nter:contexts"]
    running = api.get(url, {"filter[status]": "RUNNING"}).json()["_embedded"]["nter:contexts"]

    assert [c["context_id"] for c in failed] == [first]
    assert len(running) == 1
    assert_problem(api.get(url, {"filter[status]": "NOPE"}), 400, "Bad Request")
    # Technicians run devices; a work order's runs are its managers' to read.
    assert_problem(ada.get(url), 404, "Not Found")


def test_a_device_in_a_cycle_cannot_be_deleted(floor, ada, api):
    unit_id = take(ada, floor["batch"], "DMP0099").json()["entity"]["entity_id"]

    response = api.delete(f"/api/units/{unit_id}")

    assert_problem(response, 423, "Locked")
    assert Unit.objects.filter(public_id=unit_id).exists()
