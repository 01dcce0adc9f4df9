"""The 500-iPads job in a real browser, from an empty shop to 10/500 complete: a manager sets up
the customer (its own statuses), program, project, location, queues, workflow and work order,
splits it into 50 batches, reorders, moves and staffs them on the queue board; a technician
finishes one batch; the work order and the cockpit show the progress. Nobody types JSON."""

import importlib
import os

import pytest
from django.apps import apps as django_apps

from batches.models import Batch
from users.roles import FloorRole
from users.services import user_create

# The live server reads the database from its own thread: the test commits.
pytestmark = pytest.mark.django_db(transaction=True)
# The roles' groups come from a data migration; committing tests that ran before flushed them.
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")

PASSWORD = "Floor-Pass-2026"


@pytest.fixture
def people():
    """The shop's staff: Maria runs the floor, Tess is a technician."""
    floor_roles.create_roles(django_apps, None)
    user_create(username="maria", role=FloorRole.MANAGER, password=PASSWORD)
    return {"tess": user_create(username="tess", role=FloorRole.TECHNICIAN, password=PASSWORD)}


def test_the_500_ipads_job_from_an_empty_shop_to_progress(sessions, people):
    manager = sessions()
    manager.sign_in("maria", PASSWORD)
    set_up_the_job(manager)
    work_order_page = split_the_work_order(manager)
    run_the_queue_board(manager)

    technician = sessions()
    technician.sign_in("tess", PASSWORD)
    finish_my_first_batch(technician, people["tess"])

    page = manager.open("/admin/workorders/workorder/")
    assert "10 / 500 complete" in page.inner_text("#result_list")
    page = manager.open("/admin/")
    assert "10 / 500" in page.inner_text(".cockpit")
    shoot(page, "cockpit")
    shoot(manager.open(work_order_page), "work-order")
    page = manager.open("/admin/workorders/workflow/")
    page.click("#result_list >> text=Provision iPad")
    shoot(page, "workflow")


def set_up_the_job(manager) -> None:
    page = manager.open("/admin/customers/customer/add/")
    page.fill("[name=label]", "Acme")
    for row, (status, category) in enumerate(
        [("Received", "PENDING"), ("Imaging", "IN_PROGRESS"), ("Shipped", "COMPLETE")]
    ):
        page.fill(f"[name=allowed_statuses-{row}-status]", status)
        page.select_option(f"[name=allowed_statuses-{row}-category]", value=category)
    page.click("text=Add another Program")
    page.fill("[name=programs-0-label]", "Stores")
    save(page)

    page = manager.open("/admin/customers/program/")
    page.click("#result_list >> text=Stores")
    page.click("text=Add another Project")
    page.fill("[name=projects-0-label]", "NY stores")
    save(page)

    page = manager.open("/admin/queues/location/add/")
    page.fill("[name=label]", "Albany DC")
    page.select_option("[name=location_type]", index=1)
    page.select_option("[name=address_country]", value="USA")
    for part, value in [
        ("administrative_area", "NY"),
        ("locality", "Menands"),
        ("postal_code", "12204"),
        ("thoroughfare", "431 Broadway"),
    ]:
        page.fill(f"[name=address_{part}]", value)
    save(page)
    for label, priority in [("Fast Lane", "10"), ("Slow Lane", "1")]:
        page = manager.open("/admin/queues/queue/add/")
        page.fill("[name=label]", label)
        page.fill("[name=priority]", priority)
        autocomplete(page, "location", "Albany")
        save(page)

    page = manager.open("/admin/workorders/workflow/add/")
    page.fill("[name=label]", "Provision iPad")
    page.select_option("[name=applies_to]", value="UNIT")
    page.fill("[name=steps-0-label]", "Image the device")
    page.select_option("[name=steps-0-type]", value="user")
    page.select_option("[name=steps-0-action]", value="follow-pdf-instructions")
    page.fill("[name=steps-0-goto]", "Work complete")
    page.fill("[name=steps-1-label]", "Work complete")
    page.select_option("[name=steps-1-type]", value="success")
    save(page)

    page = manager.open("/admin/workorders/workorder/add/")
    page.fill("[name=label]", "500 iPads")
    autocomplete(page, "project", "NY stores")
    page.fill("[name=begin_date_0]", "2026-11-01")
    page.fill("[name=begin_date_1]", "08:00:00")
    page.fill("[name=due_date_0]", "2026-12-20")
    page.fill("[name=due_date_1]", "17:00:00")
    page.click("text=Add another Cycle line")
    page.fill("[name=lines-0-needed]", "500")
    autocomplete(page, "lines-0-work_flow", "Provision")
    save(page)


def split_the_work_order(manager) -> str:
    page = manager.open("/admin/workorders/workorder/")
    page.click("#result_list >> text=500 iPads")
    work_order_page = page.url.removeprefix(manager.base_url)
    page.click("text=Split into batches")
    page.select_option("select[name=queue]", label="Fast Lane · Albany DC")
    page.fill("input[name=size]", "10")
    page.click("input[name=preview]")
    assert "50 batches; the last has 10 cycles" in page.inner_text("p.preview")
    page.click("input[name=confirm]")
    assert "Created 50 batches in Fast Lane" in page.inner_text(".messagelist")
    return work_order_page


def run_the_queue_board(manager) -> None:
    page = manager.open("/admin/queues/queue/")
    page.click("#result_list >> text=Fast Lane")
    page.wait_for_url("**/change/")
    first, second = (Batch.objects.get(label=f"500 iPads · {n}/50") for n in (1, 2))
    assert first.order < second.order

    board_row(page, first).locator("button[title=Later]").click()
    page.wait_for_load_state()
    first.refresh_from_db(), second.refresh_from_db()
    assert second.order < first.order, "batch 1/50 now runs after 2/50"
    labels = page.locator("#batches-group td.field-label").all_inner_texts()
    assert labels[:2] == ["500 iPads · 2/50", "500 iPads · 1/50"]

    # Drag 5/50 to the top of the page, move 3/50 up by keyboard, then save once.
    fifth, third = (Batch.objects.get(label=f"500 iPads · {n}/50") for n in (5, 3))
    board_row(page, fifth).locator(".drag-handle").drag_to(
        board_row(page, second).locator(".drag-handle"), target_position={"x": 5, "y": 2}
    )
    board_row(page, third).locator(".drag-handle").focus()
    page.keyboard.press("ArrowUp")
    assert page.locator("#board-order-notice").is_visible()
    labels = page.locator("#batches-group td.field-label").all_inner_texts()
    expected = [f"500 iPads · {n}/50" for n in (5, 2, 3, 1, 4, 6)]
    assert labels[:6] == expected
    page.click("[name=_continue]")
    assert "The queue's order was saved" in page.inner_text(".messagelist")
    assert page.locator("#batches-group td.field-label").all_inner_texts()[:6] == expected
    in_queue = Batch.objects.filter(queue__label="Fast Lane").order_by("order", "id")
    assert [b.label for b in in_queue[:6]] == expected

    last = Batch.objects.get(label="500 iPads · 50/50")
    board_row(page, last).locator("input[name=board_batches]").check()
    page.select_option("[name=move_to]", label="Slow Lane · Albany DC")
    page.click("[name=_continue]")
    assert "The selected batches were updated." in page.inner_text(".messagelist")
    assert last.__class__.objects.get(pk=last.pk).queue.label == "Slow Lane"

    board_row(page, first).locator("input[name=board_batches]").check()
    page.select_option("[name=technician]", label="tess")
    page.click("[name=_continue]")
    assert "tess" in board_row(page, first).inner_text()
    shoot(page, "queues")


def finish_my_first_batch(technician, tess) -> None:
    page = technician.open("/admin/batches/batch/?mine=1")
    assert page.locator("#result_list tbody tr").count() == 1
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


def save(page) -> None:
    page.click("[name=_save]")
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()
    assert "successfully" in page.inner_text(".messagelist"), page.url


def autocomplete(page, field: str, text: str) -> None:
    """Pick ``text`` in an admin autocomplete (select2) field."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def board_row(page, batch):
    return page.locator(
        "#batches-group tr", has=page.locator(f"input[name=board_batches][value='{batch.pk}']")
    )


def shoot(page, name: str) -> None:
    """Save a screenshot for the docs when NIAGARA_SCREENSHOTS names a folder."""
    folder = os.environ.get("NIAGARA_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
