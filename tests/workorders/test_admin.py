"""Work orders and workflows in the admin."""

import json

import pytest

from batches.models import Cycle
from batches.services import batches_create, cycles_set_status
from customers.statuses import StatusCategory
from tests.factories import (
    SIMPLE_STEPS,
    ProjectFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import formset_management
from workorders.models import WorkFlow, WorkOrder

pytestmark = pytest.mark.django_db

RELATIONS = {
    **formset_management("relations-relation-object_type-object_id"),
    **formset_management("relations-relation-subject_type-subject_id"),
}


def work_order_form(project, **changes):
    return {
        "label": "500 iPads",
        "description": "",
        "work_order_type": "device",
        "project": str(project.pk),
        "location": "",
        "begin_date_0": "2026-01-05",
        "begin_date_1": "00:00:00",
        "due_date_0": "2026-03-31",
        "due_date_1": "00:00:00",
        "current_status": "",
        "input_filter": "[]",
        **formset_management("lines"),
        **changes,
    }


def test_changelist_shows_customer_status_due_date_and_progress(manager):
    workflow = make_workflow()
    make_work_order(label="500 iPads", cycles=[(500, workflow), (10, workflow)])

    page = manager.get("/admin/workorders/workorder/").content.decode()

    assert "500 iPads" in page
    assert "0 / 510 complete" in page
    assert "Pending" in page and "color:#6c757d" in page


def test_progress_counts_the_complete_units_of_each_work_order(manager):
    workflow = make_workflow()
    ipads = make_work_order(label="500 iPads", cycles=[(500, workflow)])
    other = make_work_order(label="20 Pixels", cycles=[(20, workflow)])
    queue = QueueFactory()
    for work_order in (ipads, other):
        batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=5, total=2)
    complete = next(
        s for s in ipads.project.effective_statuses if s["category"] == StatusCategory.COMPLETE
    )
    done = Cycle.objects.filter(work_order=ipads).order_by("pk")[:3]
    cycles_set_status(Cycle.objects.filter(pk__in=done), actor=None, current_status=complete)

    page = manager.get("/admin/workorders/workorder/").content.decode()

    assert "3 / 500 complete" in page
    assert "0 / 20 complete" in page


def test_filters_and_search(manager):
    closed = make_work_order(
        label="Closed one", current_status={"status": "Complete", "category": "COMPLETE"}
    )
    make_work_order(label="Open one", due_date="2026-06-01T00:00:00Z")

    def count(**params):
        return manager.get("/admin/workorders/workorder/", params).context["cl"].result_count

    assert count(status_category="COMPLETE") == 1
    assert (
        count(**{"project__program__customer__id__exact": closed.project.program.customer.pk}) == 1
    )
    assert (
        count(**{"due_date__range__gte": "2026-05-01", "due_date__range__lte": "2026-07-01"}) == 1
    )
    assert count(q="closed") == 1


def test_add_work_order_with_cycles_through_the_services(manager, superuser):
    project = ProjectFactory()
    workflow = make_workflow()
    data = work_order_form(
        project,
        **formset_management("lines", total=1),
        **{"lines-0-needed": "500", "lines-0-work_flow": str(workflow.pk)},
    )

    response = manager.post("/admin/workorders/workorder/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    work_order = WorkOrder.objects.get()
    assert work_order.current_status["status"] == "Pending"
    [cycle] = work_order.lines.all()
    assert (cycle.needed, cycle.work_flow_version.version) == (500, 1)
    assert work_order.history.first().history_user == superuser


def test_invalid_work_order_shows_errors_on_the_form(manager):
    project = ProjectFactory()
    data = work_order_form(
        project,
        due_date_0="2025-01-01",
        current_status='{"status": "Shipped", "category": "COMPLETE"}',
    )

    response = manager.post("/admin/workorders/workorder/add/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "should be on or after begin_date" in page
    assert not WorkOrder.objects.exists()


def test_closed_work_order_cycles_are_locked_in_the_admin(manager):
    workflow = make_workflow()
    work_order = make_work_order(
        cycles=[(10, workflow)], current_status={"status": "Complete", "category": "COMPLETE"}
    )
    cycle = work_order.lines.get()
    data = work_order_form(
        work_order.project,
        current_status=json.dumps(work_order.current_status),
        **RELATIONS,
        **formset_management("lines", total=1, initial=1),
        **{
            "lines-0-id": str(cycle.pk),
            "lines-0-work_order": str(work_order.pk),
            "lines-0-needed": "11",
            "lines-0-work_flow": str(workflow.pk),
        },
    )

    response = manager.post(f"/admin/workorders/workorder/{work_order.pk}/change/", data)

    assert response.status_code == 200
    assert "cycles cannot change" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.needed == 10


def test_workflow_admin_shows_version_and_where_it_is_used(manager):
    workflow = make_workflow()
    work_order = make_work_order(label="500 iPads", cycles=[(500, workflow)])

    listing = manager.get("/admin/workorders/workflow/").content.decode()
    page = manager.get(f"/admin/workorders/workflow/{workflow.pk}/change/").content.decode()

    assert "Provision iPad" in listing
    assert "500 iPads" in page and "500 units on version 1" in page
    assert f"/admin/workorders/workorder/{work_order.pk}/change/" in page
    assert "&quot;image-device&quot;: {\n" in page, "steps are shown indented"


def test_broken_workflow_graph_is_a_form_error(manager):
    steps = {
        **SIMPLE_STEPS,
        "orphan": {"step_type": "pass", "label": "Orphan", "goto": "work-complete"},
    }
    data = {
        "label": "Broken",
        "schema_version": "1.0",
        "applies_to": "UNIT",
        "triggered_by": "[]",
        "starts_at": "image-device",
        "steps": json.dumps(steps),
        "metadata": "{}",
    }

    response = manager.post("/admin/workorders/workflow/add/", data)

    assert response.status_code == 200
    assert "cannot be reached" in response.content.decode()
    assert not WorkFlow.objects.exists()


def test_editing_steps_in_the_admin_makes_a_new_version(manager):
    workflow = make_workflow()
    steps = json.loads(json.dumps(workflow.steps))
    steps["work-complete"]["label"] = "Finished"
    data = {
        "label": workflow.label,
        "schema_version": "1.0",
        "applies_to": "UNIT",
        "triggered_by": "[]",
        "starts_at": workflow.starts_at,
        "steps": json.dumps(steps),
        "metadata": "{}",
        **RELATIONS,
    }

    response = manager.post(f"/admin/workorders/workflow/{workflow.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.refresh_from_db()
    assert workflow.workflow_version == 2
    assert workflow.versions.count() == 2


def test_a_workflow_page_previews_its_flow_and_tucks_the_json_away(manager):
    from tests.engine.shop import IPAD_STEPS

    workflow = make_workflow(label="Provision iPad", steps=IPAD_STEPS, starts_at="unbox")

    page = manager.get(f"/admin/workorders/workflow/{workflow.pk}/change/").content.decode()

    flow = page[page.index("workflow-flow") : page.index("</table>", page.index("workflow-flow"))]
    labels = [step["label"] for step in IPAD_STEPS.values()]
    # Read top to bottom in the order a device meets the steps, from the first.
    assert flow.index("Unbox and inspect") < flow.index(labels[1])
    assert "(QC)" in flow
    advanced = page.index("Advanced: events and metadata")
    assert page.index('name="metadata"') > advanced
    assert "collapse" in page[advanced - 300 : advanced]
    assert "Public id" not in page and "API reference" in page
