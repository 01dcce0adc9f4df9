"""The workflow step builder: a manager makes and changes a workflow as rows, without JSON."""

import json

import pytest

from tests.factories import make_workflow
from tests.helpers import changeform_data
from workorders.models import WorkFlow

pytestmark = pytest.mark.django_db

ADD = "/admin/workorders/workflow/add/"


def _fill(data: dict, index: int, **row) -> None:
    for field, value in row.items():
        data[f"steps-{index}-{field}"] = value


def test_a_manager_builds_a_workflow_from_rows(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Provision iPad", applies_to="UNIT")
    _fill(data, 0, label="Image the device", type="user", action="follow-pdf-instructions")
    _fill(data, 0, goto="Work complete", goto_fail="Scrap")
    _fill(data, 1, label="Work complete", type="success")
    _fill(data, 2, key="scrap", label="Scrap", type="fail")

    response = manager.post(ADD, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow = WorkFlow.objects.get()
    assert workflow.starts_at == "image-the-device", "blank start: the first row"
    assert workflow.steps["image-the-device"] == {
        "step_type": "user",
        "label": "Image the device",
        "goto": "work-complete",
        "goto-fail": "scrap",
        "options": {"payload": {}, "component": "follow-pdf-instructions"},
        "on_start": [],
        "on_complete": [],
    }
    assert workflow.steps["work-complete"]["step_type"] == "success"


def test_changing_a_row_keeps_what_the_rows_do_not_show(manager):
    workflow = make_workflow()
    steps = {
        **workflow.steps,
        "image-device": {
            **workflow.steps["image-device"],
            "on_start": [{"function": "notify", "options": {"to": "lead"}}],
        },
    }
    workflow.steps = steps
    workflow.save()
    url = f"/admin/workorders/workflow/{workflow.pk}/change/"
    data = changeform_data(manager.get(url))
    index = next(i for i in range(5) if data[f"steps-{i}-key"] == "image-device")
    _fill(data, index, label="Image it")

    response = manager.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.refresh_from_db()
    assert workflow.steps["image-device"]["label"] == "Image it"
    assert workflow.steps["image-device"]["on_start"] == [
        {"function": "notify", "options": {"to": "lead"}}
    ]
    assert workflow.workflow_version == 2


def test_errors_are_shown_at_the_row_they_concern(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Broken", applies_to="UNIT")
    _fill(data, 0, key="image-device", label="Image", type="user", goto="work-complete")
    _fill(data, 1, key="work-complete", label="Done", type="success")

    response = manager.post(ADD, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not WorkFlow.objects.exists()
    marked = page.split('data-step="image-device"')[1].split("step-row")[0]
    assert "image-device: options: should have required property &#x27;options&#x27;" in marked
    assert "1 step(s) have problems; they are marked in the rows below" in page


def test_a_next_step_that_does_not_exist_is_marked_at_its_row(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Broken", applies_to="UNIT")
    _fill(data, 0, key="image-device", label="Image", type="pass", goto="nowhere")
    _fill(data, 1, key="work-complete", label="Done", type="success")

    page = manager.post(ADD, data).content.decode()

    marked = page.split('data-step="image-device"')[1].split("step-row")[0]
    assert "image-device: goto: names no step: &quot;nowhere&quot;" in marked
    assert not WorkFlow.objects.exists()


def test_graph_errors_are_shown_at_the_step_that_cannot_be_reached(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Broken", applies_to="UNIT")
    _fill(data, 0, key="image-device", label="Image", type="pass", goto="work-complete")
    _fill(data, 1, key="work-complete", label="Done", type="success")
    _fill(data, 2, key="orphan", label="Orphan", type="pass", goto="work-complete")

    page = manager.post(ADD, data).content.decode()

    marked = page.split('data-step="orphan"')[1].split("step-row")[0]
    assert (
        "orphan: step &quot;orphan&quot; cannot be reached from &quot;image-device&quot;" in marked
    )


def test_two_rows_with_one_key_are_a_form_error(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Twice", applies_to="UNIT")
    _fill(data, 0, key="work-complete", label="Done", type="success")
    _fill(data, 1, key="work-complete", label="Done again", type="success")

    page = manager.post(ADD, data).content.decode()

    assert "Two rows have the same key: work-complete" in page
    assert not WorkFlow.objects.exists()


def test_edited_json_wins_over_the_rows(manager):
    workflow = make_workflow()
    url = f"/admin/workorders/workflow/{workflow.pk}/change/"
    data = changeform_data(manager.get(url))
    steps = json.loads(data["steps"])
    steps["work-complete"]["label"] = "Finished (typed as JSON)"
    data["steps"] = json.dumps(steps)

    response = manager.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.refresh_from_db()
    assert workflow.steps["work-complete"]["label"] == "Finished (typed as JSON)"


def test_removing_a_row_removes_the_step(manager):
    workflow = make_workflow(
        steps={
            "image-device": {"step_type": "pass", "label": "Image", "goto": "work-complete"},
            "work-complete": {"step_type": "success", "label": "Done"},
            "scrap": {"step_type": "fail", "label": "Scrap"},
        }
    )
    url = f"/admin/workorders/workflow/{workflow.pk}/change/"
    data = changeform_data(manager.get(url))
    index = next(i for i in range(6) if data[f"steps-{i}-key"] == "scrap")
    data[f"steps-{index}-remove"] = "on"

    response = manager.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.refresh_from_db()
    assert set(workflow.steps) == {"image-device", "work-complete"}


def test_a_new_workflow_has_room_for_a_whole_flow(manager):
    data = changeform_data(manager.get(ADD))

    assert data["steps-rows"] == "8"
    assert all(f"steps-{index}-label" in data for index in range(8))


def test_a_qc_step_and_its_checklist_are_rows_not_json(manager):
    data = changeform_data(manager.get(ADD))
    page = manager.get(ADD).content.decode()
    assert "> QC</label>" in page and 'aria-label="Checklist"' in page
    data.update(label="Check iPads", applies_to="UNIT")
    _fill(data, 0, key="check", label="Final check", type="user", goto="done", goto_fail="bad")
    _fill(data, 0, qc="on", checklist="Screen intact\n\n  Enrolled in MDM  \n")
    _fill(data, 1, key="done", label="Done", type="success")
    _fill(data, 2, key="bad", label="Bad", type="fail")

    response = manager.post(ADD, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow = WorkFlow.objects.get()
    options = workflow.steps["check"]["options"]
    assert options["component"] == "task-list"
    assert options["payload"] == {
        "is_qc": True,
        "items": [{"label": "Screen intact"}, {"label": "Enrolled in MDM"}],
    }

    # Read back as rows; unticking QC and dropping an item saves as shown.
    url = f"/admin/workorders/workflow/{workflow.pk}/change/"
    data = changeform_data(manager.get(url))
    index = next(i for i in range(6) if data[f"steps-{i}-key"] == "check")
    assert data[f"steps-{index}-qc"] == "on"
    assert data[f"steps-{index}-checklist"] == "Screen intact\nEnrolled in MDM"
    del data[f"steps-{index}-qc"]
    _fill(data, index, checklist="Enrolled in MDM")

    response = manager.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.refresh_from_db()
    assert workflow.steps["check"]["options"]["payload"] == {
        "items": [{"label": "Enrolled in MDM"}]
    }


def test_a_data_entry_steps_form_fields_are_rows_not_json(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Record devices", applies_to="UNIT")
    _fill(data, 0, label="Record details", type="user", goto="Done", goto_fail="Scrap")
    _fill(data, 0, form="IMEI *\n\n  Asset tag  \n")
    _fill(data, 1, label="Done", type="success")
    _fill(data, 2, label="Scrap", type="fail")

    response = manager.post(ADD, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow = WorkFlow.objects.get()
    options = workflow.steps["record-details"]["options"]
    assert options["component"] == "manual-data-entry"
    assert options["payload"]["fields"] == [
        {"input_type": "input", "entity_field": "$.imei", "label": "IMEI", "required": True},
        {
            "input_type": "input",
            "entity_field": "$.asset_tag",
            "label": "Asset tag",
            "required": False,
        },
    ]
    url = f"/admin/workorders/workflow/{workflow.pk}/change/"
    again = changeform_data(manager.get(url))
    # (PostgreSQL's jsonb keeps its own key order: find the step's row by its key.)
    row = next(i for i in range(6) if again[f"steps-{i}-key"] == "record-details")
    assert again[f"steps-{row}-form"] == "IMEI *\nAsset tag"
    # Saved unchanged, the fields keep where their values go.
    assert manager.post(url, again).status_code == 302
    workflow.refresh_from_db()
    assert (
        workflow.steps["record-details"]["options"]["payload"]["fields"]
        == options["payload"]["fields"]
    )


def test_a_step_with_a_checklist_and_a_form_is_refused_at_its_row(manager):
    data = changeform_data(manager.get(ADD))
    data.update(label="Confused", applies_to="UNIT")
    _fill(data, 0, label="Check", type="user", goto="Done", goto_fail="Done")
    _fill(data, 0, checklist="Screen intact", form="IMEI *")
    _fill(data, 1, label="Done", type="success")

    response = manager.post(ADD, data)

    assert response.status_code == 200 and not WorkFlow.objects.exists()
    page = response.content.decode()
    assert "a checklist or form fields, not both" in page
    assert 'class="step-row errors" data-step="check"' in page
