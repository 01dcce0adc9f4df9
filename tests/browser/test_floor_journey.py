"""A manager and a technician run the floor in the admin, in a real browser: split a work order
needing 500 into 50 batches, check the queue, finish a batch, see the progress."""

import importlib
import os

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from batches.models import Batch
from customers.services import (
    CustomerFields,
    ProgramFields,
    ProjectFields,
    customer_create,
    program_create,
    project_create,
)
from queues.services import LocationFields, QueueFields, location_create, queue_create
from tests.factories import SIMPLE_STEPS
from users.roles import Role
from users.services import user_create
from workorders.services import WorkFlowFields, WorkOrderFields, work_order_create, workflow_create

# The live server reads the database from its own thread: the test commits.
pytestmark = pytest.mark.django_db(transaction=True)
# The roles' groups come from a data migration; committing tests that ran before flushed them.
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")

PASSWORD = "Floor-Pass-2026"
STATUSES = [
    {"status": "Received", "category": "PENDING"},
    {"status": "Imaging", "category": "IN_PROGRESS"},
    {"status": "Shipped", "category": "COMPLETE"},
]


@pytest.fixture
def shop():
    """What the floor starts from: Acme's 500 iPads, a queue, a manager and a technician."""
    acme = customer_create(
        actor=None, fields=CustomerFields(label="Acme", allowed_statuses=STATUSES)
    )
    program = program_create(actor=None, fields=ProgramFields(customer=acme, label="Stores"))
    project = project_create(actor=None, fields=ProjectFields(program=program, label="NY stores"))
    address = {
        "country": "USA",
        "administrative_area": "NY",
        "locality": "Menands",
        "postal_code": "12204",
        "thoroughfare": "431 Broadway",
    }
    albany = location_create(
        actor=None,
        fields=LocationFields(label="Albany DC", location_type="facility", address=address),
    )
    queue_create(actor=None, fields=QueueFields(label="Fast Lane", priority=10, location=albany))
    workflow = workflow_create(
        actor=None,
        fields=WorkFlowFields(
            label="Provision iPad", applies_to="UNIT", starts_at="image-device", steps=SIMPLE_STEPS
        ),
    )
    work_order = work_order_create(
        actor=None,
        fields=WorkOrderFields(
            label="500 iPads",
            project=project,
            begin_date="2026-01-05T00:00:00Z",
            due_date="2026-03-31T00:00:00Z",
            lines=[{"needed": 500, "work_flow": workflow}],
        ),
    )
    floor_roles.create_roles(django_apps, None)
    assert Group.objects.filter(name="Technician").exists()
    user_create(username="maria", role=Role.MANAGER, password=PASSWORD)
    tess = user_create(username="tess", role=Role.TECHNICIAN, password=PASSWORD)
    return {"work_order": work_order, "tess": tess}


def test_split_then_a_technician_finishes_a_batch_and_progress_follows(sessions, shop):
    work_order, tess = shop["work_order"], shop["tess"]

    manager = sessions()
    manager.sign_in("maria", PASSWORD)
    page = manager.open(f"/admin/workorders/workorder/{work_order.pk}/change/")
    page.click("text=Split into batches")
    page.select_option("select[name=queue]", label="Fast Lane · Albany DC")
    page.fill("input[name=size]", "10")
    page.select_option("select[name=technicians]", label="tess")
    page.click("input[name=preview]")
    assert "50 batches; the last has 10 cycles" in page.inner_text("p.preview")
    page.click("input[name=confirm]")
    assert "Created 50 batches." in page.inner_text(".messagelist")

    page = manager.open("/admin/queues/queue/")
    page.click("text=Fast Lane")
    page.wait_for_url("**/change/")
    content = page.content()
    assert "500 iPads · 1/50" in content and "500 iPads · 50/50" in content

    technician = sessions()
    technician.sign_in("tess", PASSWORD)
    first = Batch.objects.get(label="500 iPads · 1/50")
    page = technician.open(
        f"/admin/batches/cycle/?technician={tess.pk}&batch__id__exact={first.pk}"
    )
    assert "10 cycles" in page.inner_text("#changelist-form")
    page.check("#action-toggle")
    page.select_option("select[name=action]", value="set_status")
    page.click("button[name=index]")
    page.select_option("select[name^=status_]", label="Shipped")
    page.click("input[name=apply]")
    assert "Updated 10 cycles." in page.inner_text(".messagelist")

    page = manager.open("/admin/workorders/workorder/")
    assert "10 / 500 complete" in page.inner_text("#result_list")
    page = manager.open("/admin/")
    assert "10 / 500" in page.inner_text(".cockpit")
    shoot(page, "cockpit")
    shoot(manager.open(f"/admin/workorders/workorder/{work_order.pk}/change/"), "work-order")
    shoot(manager.open("/admin/queues/queue/"), "queues")


def shoot(page, name: str) -> None:
    """Save a screenshot for the docs when NIAGARA_SCREENSHOTS names a folder."""
    folder = os.environ.get("NIAGARA_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
