"""The whole day in a browser, as the issue tells it: Maria imports a 600-tablet order from
the example file, plans it across two queues and puts Tess and Theo on it; they scan devices
at an 800-pixel station; one device fails QC with a reason and is reworked, one is scrapped
with a reason and stays scrapped; Maria follows a serial from its trace page and watches the
QC queue drain. Every step asserts what the person sees; nobody types JSON or reads an id."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from batches.models import Cycle
from engine.models import Context
from tests.helpers import assert_integrity
from users.roles import FloorRole
from users.services import user_create

from .test_station_journey import scan

pytestmark = pytest.mark.django_db(transaction=True)
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")
note_groups = importlib.import_module("notes.migrations.0002_floor_groups")

PASSWORD = "Day-Pass-2026"
ORDER = "600 tablets for Chicago"
REWORKED, SCRAPPED, FINE = "DMPDAY0001", "DMPDAY0002", "DMPDAY0003"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")


def submit(page, selector: str) -> None:
    """Click what leads to another page (a form's button, a link) and wait for that page: on a
    loaded machine (the suite runs beside it) a check that reads the page at once would read the
    one before."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def shop():
    floor_roles.create_roles(django_apps, None)
    note_groups.grant(django_apps, None)
    call_command("seed_demo", verbosity=0)
    return {
        name: user_create(username=name, role=role, password=PASSWORD)
        for name, role in [
            ("maria", FloorRole.MANAGER),
            ("tess", FloorRole.TECHNICIAN),
            ("theo", FloorRole.TECHNICIAN),
        ]
    }


def test_a_manager_and_two_technicians_run_an_order_through_the_day(sessions, shop, tmp_path):
    maria, tess, theo = sessions(zone="America/Chicago"), sessions(width=800), sessions(width=800)
    for session, name in ((maria, "maria"), (tess, "tess"), (theo, "theo")):
        session.sign_in(name, PASSWORD)

    import_the_order(maria, tmp_path)
    plan_across_two_queues(maria)

    for serial in (REWORKED, SCRAPPED, FINE):
        page = scan(tess, serial)
        assert "Unbox and inspect" in page.inner_text("#current-step")
        if serial == SCRAPPED:
            fail_with_reason(page, "Dead on arrival: does not power on.")
            continue
        prepare(page)
    assert waiting_for_qc(maria) == {REWORKED, FINE}

    # QC by the second person: one fails, with a reason; one passes.
    page = scan(theo, REWORKED)
    assert "Quality check" in page.inner_text("#current-step")
    fail_with_reason(page, "Cracked screen, top left corner.")
    pass_qc(scan(theo, FINE))
    assert waiting_for_qc(maria) == set()
    page = maria.open("/admin/")

    # The manager's triage: rework the cracked one, scrap the dead one (asked why).
    triage = page.inner_text("#triage")
    assert "Cracked screen" in triage and "does not power on" in triage
    submit(page, f"#triage tr:has-text('{REWORKED.removeprefix('DMP')}') input[value=Restart]")
    assert "restarted" in page.inner_text(".messagelist")
    submit(page, f"#triage tr:has-text('{SCRAPPED.removeprefix('DMP')}') input[value=Cancel]")
    assert "Cancel" in page.inner_text("#confirm")
    page.fill("#id_reason", "Scrapped: no power, returned to the vendor.")
    submit(page, "#confirm input[type=submit]")
    assert "cancelled" in page.inner_text(".messagelist")
    triage = page.inner_text("#triage")
    assert "DAY0001" not in triage and "DAY0002" not in triage

    # The reworked device goes through again; QC passes this time.
    page = scan(tess, REWORKED)
    prepare(page)
    assert waiting_for_qc(maria) == {REWORKED}
    pass_qc(scan(theo, REWORKED))
    assert waiting_for_qc(maria) == set(), "the QC queue drained"

    # The scrapped one stays scrapped: scanning it does not start it again.
    page = tess.open("/admin/engine/context/station/")
    page.keyboard.type(SCRAPPED)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert Cycle.objects.filter(unit__raw_serial_number=SCRAPPED).count() == 1
    assert Cycle.objects.get(unit__raw_serial_number=SCRAPPED).category == "CANCELLED"

    follow_a_serial(maria)
    assert_integrity()
    for session in (maria, tess, theo):
        session.close()


def waiting_for_qc(maria) -> set[str]:
    """Today's devices in the cockpit's QC queue (the demo's own wait there too)."""
    queue = maria.open("/admin/").inner_text("#qc-queue")
    return {serial for serial in (REWORKED, SCRAPPED, FINE) if serial.removeprefix("DMP") in queue}


def import_the_order(maria, tmp_path: Path) -> None:
    page = maria.open("/admin/workorders/workorder/import/")
    assert "Customer / Program / Project" in page.inner_text("#import-columns")
    with page.expect_download() as download:
        page.click("text=example file")
    example = tmp_path / "work-orders.csv"
    download.value.save_as(example)
    page.set_input_files("input[name=import_file]", str(example))
    page.select_option("select[name=format]", label="csv")
    submit(page, "input[type=submit]")
    preview = page.inner_text("#content")
    assert ORDER in preview and "600" in preview and "Provision iPad for retail" in preview
    submit(page, "input[name=confirm]")
    assert "1 new" in page.inner_text(".messagelist") or "Import finished" in page.inner_text(
        ".messagelist"
    )


def plan_across_two_queues(maria) -> None:
    page = maria.open("/admin/workorders/workorder/?q=Chicago")
    submit(page, f"#result_list >> text={ORDER}")
    submit(page, "text=Split into batches")
    page.select_option("select[name=queue]", label="Fast Lane · Albany fulfilment center")
    page.fill("input[name=size]", "50")
    page.fill("input[name=cycles]", "300")
    page.select_option("select[name=technicians]", label="tess")
    page.select_option("select[name=technicians]", ["tess", "theo"])
    submit(page, "input[name=preview]")
    assert "300 cycles in 6 batches" in page.inner_text("p.preview")
    submit(page, "input[name=confirm]")
    assert "300 cycles are left" in page.inner_text(".messagelist")
    queue = page.locator("select[name=queue] option").all_inner_texts()
    other = next(label for label in queue if "Fast Lane" not in label and label.strip("- "))
    page.select_option("select[name=queue]", label=other)
    page.fill("input[name=size]", "50")
    submit(page, "input[name=preview]")
    submit(page, "input[name=confirm]")
    assert "Created 6 batches" in page.inner_text(".messagelist")
    assert "600 of 600 cycles placed" in page.inner_text("#content")


def prepare(page) -> None:
    """Unbox, then record the IMEI: the device waits on QC."""
    submit(page, "#current-step input[value=complete]")
    page.fill("#field-0", "356789012345678")
    submit(page, "#current-step input[value=complete]")
    assert "Quality check" in page.inner_text("#current-step")


def pass_qc(page) -> None:
    assert "Quality check" in page.inner_text("#current-step")
    for item in ("intact", "mdm"):
        page.check(f"input[name=item-{item}][value=ok]")
    submit(page, "#current-step input[value=complete]")
    assert "completed" in page.inner_text(".messagelist")


def fail_with_reason(page, reason: str) -> None:
    """Fail asks first: nothing changes until a reason is given."""
    submit(page, "#current-step input[value=fail]")
    assert page.locator("#confirm textarea[name=reason]").is_visible()
    page.click("#confirm input[type=submit]")  # no reason: asked again, nothing failed
    assert page.locator("#confirm textarea[name=reason]").is_visible()
    page.fill("#confirm textarea[name=reason]", reason)
    submit(page, "#confirm input[type=submit]")
    assert "failed" in page.inner_text(".messagelist")


def follow_a_serial(maria) -> None:
    page = maria.open(f"/admin/batches/cycle/?q={REWORKED.removeprefix('DMP')}")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    with page.expect_navigation():
        rows.first.locator("th a, td a").first.click()
    submit(page, ".field-device a")
    trace = page.inner_text("#content")
    assert "Cracked screen" in trace and ORDER in trace
    assert trace.count("Quality check") >= 2, "both runs, each with its steps"
    assert not UUID.search(trace), "no ids on the trace page"
    runs = Context.objects.filter(unit__raw_serial_number=REWORKED).order_by("id")
    assert [run.state for run in runs] == ["FAILED", "SUCCEEDED"]
