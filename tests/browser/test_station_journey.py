"""Ten iPads through the technician station in a real browser: Tess, on an 800-pixel tablet,
scans each device (a barcode scanner types the serial and Enter into the one field that has the
focus), follows the instructions and enters its IMEI; Theo scans each device to open it on its
QC, notes a cracked screen on one and fails it; Maria sees it on the cockpit's triage and
restarts it; it goes through again; the work order ends 10 / 10 complete."""

import importlib

import pytest
from django.apps import apps as django_apps

from batches.models import Cycle
from batches.services import batches_create
from engine.models import Context
from tests.factories import (
    CustomerFactory,
    PartFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_integrity
from users.roles import FloorRole
from users.services import user_create

from .test_floor_journey import shoot

pytestmark = pytest.mark.django_db(transaction=True)
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")
note_groups = importlib.import_module("notes.migrations.0002_floor_groups")

PASSWORD = "Station-Pass-2026"
STEPS = {
    "unbox": {
        "step_type": "user",
        "label": "Unbox and inspect",
        "goto": "enter-details",
        "goto-fail": "failed",
        "options": {
            "component": "follow-pdf-instructions",
            "payload": {"attachment_id": "ipad-unboxing"},
        },
    },
    "enter-details": {
        "step_type": "user",
        "label": "Record the IMEI",
        "goto": "quality-check",
        "goto-fail": "failed",
        "options": {
            "component": "manual-data-entry",
            "payload": {
                "fields": [
                    {
                        "input_type": "input",
                        "label": "IMEI",
                        "required": True,
                        "entity_field": "$.imei",
                    }
                ]
            },
        },
    },
    "quality-check": {
        "step_type": "user",
        "label": "Quality check",
        "goto": "done",
        "goto-fail": "failed",
        "options": {
            "component": "task-list",
            "payload": {
                "is_qc": True,
                "items": [
                    {"label": "Screen intact", "slug": "screen"},
                    {"label": "Enrolled in MDM", "slug": "mdm"},
                ],
            },
        },
    },
    "done": {"step_type": "success", "label": "Provisioned"},
    "failed": {"step_type": "fail", "label": "Failed"},
}
SERIALS = [f"DMPF9X{n:04d}" for n in range(1, 11)]
CRACKED = SERIALS[2]


@pytest.fixture
def floor():
    floor_roles.create_roles(django_apps, None)
    note_groups.grant(django_apps, None)
    people = {
        name: user_create(username=name, role=role, password=PASSWORD)
        for name, role in [
            ("maria", FloorRole.MANAGER),
            ("tess", FloorRole.TECHNICIAN),
            ("theo", FloorRole.TECHNICIAN),
        ]
    }
    customer = CustomerFactory(label="Northwind")
    PartFactory(customer=customer, label="iPad 10th gen", serial_prefix="DMP")
    project = ProjectFactory(program=ProgramFactory(customer=customer, label="Stores"))
    workflow = make_workflow(label="Provision iPad", steps=STEPS, starts_at="unbox")
    work_order = make_work_order(project=project, cycles=[(10, workflow)], label="10 iPads")
    batch = batches_create(
        actor=None,
        work_order=work_order,
        queue=QueueFactory(label="Bench 1"),
        number_cycles=10,
        users=[people["tess"], people["theo"]],
    )[0]
    return {"batch": batch, "work_order": work_order, **people}


def test_ten_ipads_through_the_station_one_failing_qc_and_restarted(sessions, floor):
    tess, theo, maria = sessions(width=800), sessions(), sessions(zone="America/Chicago")
    tess.sign_in("tess", PASSWORD)
    theo.sign_in("theo", PASSWORD)
    maria.sign_in("maria", PASSWORD)

    for serial in SERIALS:
        scan_and_prepare(tess, serial)
    # The manager sees the ten wait for a second person's check, in her own time zone.
    page = maria.open("/admin/")
    assert "Times in America/Chicago" in page.text_content("#viewer-zone")
    assert page.locator("#qc-queue tbody tr").count() == 10
    page = theo.open("/admin/engine/context/station/")
    assert page.locator("#station-runs tbody tr").count() == 10
    assert "(QC)" in page.inner_text("#station-runs")
    shoot(page, "station")

    for serial in SERIALS:
        quality_check(theo, serial, cracked=serial == CRACKED)

    page = maria.open("/admin/")
    assert "No device is waiting for QC" in page.inner_text("#qc-queue")
    triage = page.inner_text("#triage")
    assert CRACKED in triage and "Quality check" in triage and "Cracked screen" in triage
    shoot(page, "triage")
    page.click(f"#triage tr:has-text('{CRACKED}') input[value=Restart]")
    assert "restarted" in page.inner_text(".messagelist")
    assert "No unit is blocked" in page.inner_text("#triage")

    run = open_run(tess, CRACKED)
    assert "Unbox and inspect" in run.inner_text("#current-step")
    prepare(run)
    quality_check(theo, CRACKED, cracked=False)

    page = maria.open("/admin/workorders/workorder/")
    assert "10 / 10 complete" in page.inner_text("#result_list")
    page = maria.open("/admin/")
    assert "No unit is blocked" in page.inner_text("#triage")
    cycles = Cycle.objects.filter(batch=floor["batch"])
    assert cycles.filter(category="COMPLETE").count() == 10
    # Every unit, step, user and duration is on record: the cracked one ran twice.
    cracked = Context.objects.filter(unit__raw_serial_number=CRACKED).order_by("id")
    assert [run.state for run in cracked] == ["FAILED", "SUCCEEDED"]
    qc = next(step for step in cracked[1].last_steps if step["step_name"] == "quality-check")
    assert qc["closed_by"] == floor["theo"].public_id and qc["time_to_run"] >= 0
    assert cracked[0].unit.notes.get().issue is True
    assert_integrity()
    for session in (tess, theo, maria):
        session.close()


def scan(session, serial: str):
    """Scan at the station as a keyboard-wedge scanner does: type into whatever has the focus,
    then Enter. The station has one scan field, focused; few other text fields."""
    page = session.open("/admin/engine/context/station/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'scan-serial'")
    assert page.locator("#content [autofocus]").count() == 1
    texts = "#content input[type=text], #content input:not([type]), #content textarea"
    assert page.locator(texts).count() <= 3
    # Nothing is cut off on a narrow tablet: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if serial == SERIALS[0]:
        shoot(page, f"station-scan-{page.viewport_size['width']}")
    page.keyboard.type(serial)
    page.keyboard.press("Enter")
    page.wait_for_url("**/station/run/**")
    return page


def scan_and_prepare(tess, serial: str) -> None:
    page = scan(tess, serial)
    assert serial.removeprefix("DMP") in page.inner_text("#run-serial")
    if serial == SERIALS[0]:
        shoot(page, "station-run")
    prepare(page)


def prepare(page) -> None:
    """Follow the instructions, then record the IMEI: the run waits on QC."""
    assert "Unbox and inspect" in page.inner_text("#current-step")
    page.click("#current-step input[value=complete]")
    page.fill("#field-0", "356789012345678")
    page.click("#current-step input[value=complete]")
    assert "Quality check" in page.inner_text("#current-step")


def open_run(session, serial: str):
    page = session.open("/admin/engine/context/station/")
    page.click(f"#station-runs >> text={serial}")
    return page


def quality_check(theo, serial: str, *, cracked: bool) -> None:
    page = scan(theo, serial)  # a device in progress opens on its current step
    assert "Quality check" in page.inner_text("#current-step")
    if cracked:
        page.fill("#note-label", "Cracked screen")
        page.fill("#note-text", "Hairline crack, top left corner.")
        page.check("#note-issue")
        page.click("text=Save note")
        assert "Note saved" in page.inner_text(".messagelist")
    page.check(
        "input[name=item-screen][value=bad]" if cracked else "input[name=item-screen][value=ok]"
    )
    page.check("input[name=item-mdm][value=ok]")
    page.click("#current-step input[value=complete]")
    expected = "failed" if cracked else "completed"
    assert expected in page.inner_text(".messagelist")
