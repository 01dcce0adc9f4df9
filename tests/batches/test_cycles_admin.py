"""Running the floor from the admin: cycles found by what a manager knows, moved through the
project's statuses one by one or in bulk, with every counter following as over the API."""

import pytest

from batches.models import Batch, Cycle
from batches.services import batches_create
from relations.services import relation_create
from tests.factories import (
    CustomerFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import changeform_data
from users.roles import FloorRole
from users.services import user_create

pytestmark = pytest.mark.django_db

WORKING = "In Progress"


def floor(label="500 iPads", *, needed=20, customer=None, batches=2, per_batch=5):
    project = ProjectFactory(program=ProgramFactory(customer=customer or CustomerFactory()))
    work_order = make_work_order(project=project, label=label, cycles=[(needed, make_workflow())])
    placed = batches_create(
        actor=None,
        work_order=work_order,
        queue=QueueFactory(),
        number_cycles=per_batch,
        total=batches,
    )
    return work_order, placed


def listed(manager, **params):
    return manager.get("/admin/batches/cycle/", params).context["cl"].result_count


def test_cycles_are_found_by_status_work_order_queue_technician_and_label(manager):
    work_order, (first, second) = floor()
    floor("Other job")
    # The filter offers the floor's technicians (who holds the role).
    tech = user_create(username="tess", role=FloorRole.TECHNICIAN)
    relation_create(subject=tech, obj=first, relation="tech")
    Cycle.objects.filter(pk=first.cycles.first().pk).update(category="BLOCKED")

    assert listed(manager) == 20
    assert listed(manager, category__exact="BLOCKED") == 1
    assert listed(manager, work_order__id__exact=work_order.pk) == 10
    assert listed(manager, batch__queue__id__exact=second.queue_id) == 10
    assert listed(manager, technician=tech.pk) == 5
    assert listed(manager, batch__id__exact=second.pk) == 5
    assert listed(manager, q="Other job") == 10


def test_a_cycle_moved_on_its_page_moves_every_counter(manager, api):
    work_order, (batch, _) = floor()
    cycle = batch.cycles.order_by("pk").first()
    url = f"/admin/batches/cycle/{cycle.pk}/change/"
    page = manager.get(url)
    assert '<optgroup label="In progress">' in page.content.decode()

    response = manager.post(url, {**changeform_data(page), "current_status": WORKING})

    assert response.status_code == 302
    data = api.get(f"/api/batches/{batch.public_id}").json()
    assert (data["cycles"]["pending"], data["cycles"]["in_progress"]) == (4, 1)
    assert api.get(f"/api/work-orders/{work_order.public_id}").json()["start_date"] is not None


def test_a_status_outside_the_project_is_a_form_error(manager):
    _, (batch, _) = floor()
    cycle = batch.cycles.first()
    url = f"/admin/batches/cycle/{cycle.pk}/change/"

    response = manager.post(url, {**changeform_data(manager.get(url)), "current_status": "Lost"})

    assert response.status_code == 200
    assert Cycle.objects.get(pk=cycle.pk).category == "PENDING"


def test_bulk_status_asks_once_per_customer_and_applies_each(manager):
    acme = CustomerFactory(
        label="Acme",
        allowed_statuses=[
            {"status": "Queued", "category": "PENDING"},
            {"status": "Imaging", "category": "IN_PROGRESS"},
        ],
    )
    _, [acme_batch] = floor(customer=acme, batches=1)
    _, [other_batch] = floor("Other job", batches=1)
    selected = [str(c.pk) for c in Cycle.objects.all()]
    form = {"action": "set_status", "_selected_action": selected}

    page = manager.post("/admin/batches/cycle/", form).content.decode()
    assert page.count("<select") == 2 and "Imaging" in page and WORKING in page

    other_customer = other_batch.work_order.project.program.customer
    manager.post(
        "/admin/batches/cycle/",
        {
            **form,
            f"status_{acme.pk}": "Imaging",
            f"status_{other_customer.pk}": WORKING,
            "apply": "1",
        },
    )

    assert set(acme_batch.cycles.values_list("current_status__status", flat=True)) == {"Imaging"}
    assert set(other_batch.cycles.values_list("category", flat=True)) == {"IN_PROGRESS"}


def test_bulk_status_is_all_or_nothing(manager):
    narrow = CustomerFactory(label="Narrow")
    _, [narrow_batch] = floor(customer=narrow, batches=1)
    project = narrow_batch.work_order.project
    project.allowed_statuses = [{"status": "Pending", "category": "PENDING"}]
    project.save()
    _, [other_batch] = floor("Other job", batches=1)
    other_customer = other_batch.work_order.project.program.customer
    selected = [str(c.pk) for c in Cycle.objects.all()]

    response = manager.post(
        "/admin/batches/cycle/",
        {
            "action": "set_status",
            "_selected_action": selected,
            f"status_{narrow.pk}": WORKING,  # the customer has it, the narrowed project not
            f"status_{other_customer.pk}": WORKING,
            "apply": "1",
        },
        follow=True,
    )

    assert "not allowed by the work order" in response.content.decode()
    assert set(Cycle.objects.values_list("category", flat=True)) == {"PENDING"}


def test_every_cycle_of_selected_batches_finishes_the_work_order(manager, api):
    work_order, batches = floor(needed=10, batches=2, per_batch=5)
    customer = work_order.project.program.customer

    manager.post(
        "/admin/batches/batch/",
        {
            "action": "set_cycle_status",
            "_selected_action": [str(b.pk) for b in batches],
            f"status_{customer.pk}": "Complete",
            "apply": "1",
        },
    )

    data = api.get(f"/api/work-orders/{work_order.public_id}").json()
    assert data["cycles"][0]["complete"] == 10
    assert data["end_date"] is not None
    assert not Batch.objects.filter(cycles__category="PENDING").exists()


def test_queue_pickers_name_the_location(manager):
    _, (batch, _) = floor()
    QueueFactory(label=batch.queue.label)  # the same label, at another location

    page = manager.get(f"/admin/batches/batch/{batch.pk}/change/").content.decode()

    assert f"{batch.queue.label} · {batch.queue.location.label}" in page


def test_batches_list_their_technicians_and_a_technician_finds_theirs(client, manager):
    tess = user_create(username="tess", role=FloorRole.TECHNICIAN, password="Tess-Pass-2026")
    _, (first, _) = floor()
    relation_create(subject=tess, obj=first, relation="tech")

    page = manager.get("/admin/batches/batch/").content.decode()
    assert "tess" in page
    client.force_login(tess)
    mine = client.get("/admin/batches/batch/", {"mine": "1"}).context["cl"]
    assert [batch.pk for batch in mine.result_list] == [first.pk]


def test_the_work_order_page_shows_its_floor_with_links(manager):
    work_order, (first, _) = floor()
    Cycle.objects.filter(pk=first.cycles.first().pk).update(category="BLOCKED")

    page = manager.get(f"/admin/workorders/workorder/{work_order.pk}/change/").content.decode()

    assert "10</strong> of 20 cycles placed" in page
    assert f"?work_order__id__exact={work_order.pk}&amp;category__exact=BLOCKED" in page
    assert "Blocked: 1" in page and "2 batches" in page
