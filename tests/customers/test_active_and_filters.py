"""Active and inactive customers (seed 003): an inactive one takes no new program, project or
work order (409), stays readable, and is hidden from the admin's pickers; and the list filters
integrators expect (customers by active flag, programs and projects by parent, batches by
queue, work order, status category and technician)."""

import pytest

from batches.services import batches_create
from tests.factories import (
    CustomerFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_problem, assert_status, post_json
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


def listed(api, url, **params) -> list[str]:
    response = api.get(url, {f"filter[{k}]": v for k, v in params.items()})
    assert_status(response, 200)
    page = response.json()["_embedded"]
    return [item["label"] for item in next(iter(page.values()))]


def test_an_inactive_customer_takes_no_new_work_and_stays_readable(api):
    customer = CustomerFactory(label="Gone", is_active=False)
    program = ProgramFactory(customer=customer)
    project = ProjectFactory(program=program)

    new_program = post_json(
        api, "/api/programs", {"label": "P", "customer": {"customer_id": customer.public_id}}
    )
    new_project = post_json(
        api, "/api/projects", {"label": "P", "program": {"program_id": program.public_id}}
    )
    new_work_order = post_json(
        api, "/api/work-orders", {"label": "W", "project": {"project_id": project.public_id}}
    )

    for response in (new_program, new_project, new_work_order):
        assert "inactive" in assert_problem(response, 409, "Conflict")["detail"]
    assert not WorkOrder.objects.exists()
    assert api.get(f"/api/customers/{customer.public_id}").json()["is_active"] is False
    assert_status(api.get(f"/api/projects/{project.public_id}"), 200)


def test_customers_are_made_active_and_can_be_deactivated(api):
    made = post_json(
        api,
        "/api/customers",
        {"label": "New", "allowed_statuses": [{"status": "Pending", "category": "PENDING"}]},
    ).json()
    assert made["is_active"] is True

    body = {**made, "is_active": False}
    changed = api.put(f"/api/customers/{made['customer_id']}", body, format="json")

    assert_status(changed, 200)
    assert changed.json()["is_active"] is False
    assert listed(api, "/api/customers", is_active="false") == ["New"]
    assert "New" not in listed(api, "/api/customers", is_active="true")
    assert_problem(api.get("/api/customers", {"filter[is_active]": "maybe"}), 400, "Bad Request")


def test_admin_pickers_offer_active_customers_only(manager):
    CustomerFactory(label="Picker Active")
    CustomerFactory(label="Picker Gone", is_active=False)

    response = manager.get(
        "/admin/autocomplete/",
        {
            "app_label": "customers",
            "model_name": "program",
            "field_name": "customer",
            "term": "Picker",
        },
    )

    labels = [item["text"] for item in response.json()["results"]]
    assert labels == ["Picker Active"]


def test_programs_and_projects_filter_by_their_parents(api):
    first, second = CustomerFactory(), CustomerFactory()
    ours = ProgramFactory(customer=first, label="Ours")
    ProgramFactory(customer=second, label="Theirs")
    ProjectFactory(program=ours, label="Our project")

    assert listed(api, "/api/programs", customer=first.public_id) == ["Ours"]
    assert listed(api, "/api/projects", customer=first.public_id) == ["Our project"]
    assert listed(api, "/api/projects", program=ours.public_id) == ["Our project"]
    assert listed(api, "/api/projects", customer=second.public_id) == []


def test_batches_filter_by_queue_work_order_category_and_technician(api):
    work_order = make_work_order(cycles=[(6, make_workflow())])
    other_order = make_work_order(label="Other", cycles=[(6, make_workflow(label="F2"))])
    fast, slow = QueueFactory(), QueueFactory()
    tess = UserFactory()
    statuses = work_order.project.effective_statuses
    batches_create(
        actor=None,
        work_order=work_order,
        queue=fast,
        number_cycles=2,
        label="A",
        users=[tess],
        current_status=statuses[1],
    )
    batches_create(actor=None, work_order=work_order, queue=slow, number_cycles=2, label="B")
    batches_create(actor=None, work_order=other_order, queue=fast, number_cycles=2, label="C")

    assert listed(api, "/api/batches", queue=fast.public_id) == ["A", "C"]
    assert listed(api, "/api/batches", work_order=work_order.public_id) == ["A", "B"]
    assert listed(api, "/api/batches", technician=tess.public_id) == ["A"]
    assert listed(api, "/api/batches", category=statuses[1]["category"]) == ["A"]
