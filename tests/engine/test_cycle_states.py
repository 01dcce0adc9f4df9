"""States that mean what they say (issue 25): a cancelled unit stays cancelled whatever path
cancelled it, with the reason on record; a serial is produced once unless it comes back as a
rework; a serial must carry its part's prefix; a shipped device says so."""

import pytest

from batches.models import Cycle
from engine.models import Context
from notes.models import Note
from tests.helpers import (
    assert_integrity,
    assert_problem,
    assert_status,
    changeform_data,
)
from units.models import Unit

from .shop import DETAILS, QC_OK
from .test_runs_api import close, counters, take

pytestmark = pytest.mark.django_db

CANCELLED = {"status": "Cancelled", "category": "CANCELLED"}


def _cycle_of(serial: str) -> Cycle:
    return Cycle.objects.filter(unit__raw_serial_number=serial).latest("pk")


def _produce(floor, ada, grace, serial: str) -> dict:
    """Walk a device through its workflow to success; return its run."""
    context_id = take(ada, floor["batch"], serial).json()["context_id"]
    close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    close(ada, context_id, "enter-details", DETAILS)
    response = close(grace, context_id, "quality-check", QC_OK)
    assert_status(response, 200)
    return response.json()


# -- cancelling ends the run, whatever path cancels ------------------------------------------


def test_a_cycle_cancelled_by_its_status_ends_its_run_and_stays_cancelled(floor, ada):
    context_id = take(ada, floor["batch"], "DMP1001").json()["context_id"]
    cycle = _cycle_of("DMP1001")

    response = ada.patch(
        f"/api/cycles/{cycle.public_id}",
        {"current_status": CANCELLED, "reason": "Screen cracked in transit"},
        format="json",
    )

    assert_status(response, 200)
    assert response.json()["current_status"]["category"] == "CANCELLED"
    assert "reason" not in response.json()
    run = ada.get(f"/api/contexts/{context_id}").json()
    assert run["active"] is False and run["status"] == "CANCELLED"
    # Finishing the run is refused: nothing can flip the cycle back to COMPLETE.
    problem = assert_problem(
        close(ada, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"}),
        409,
        "Conflict",
    )
    assert "ended" in problem["detail"]
    assert Cycle.objects.get(pk=cycle.pk).category == "CANCELLED"
    assert counters(floor["work_order"])["in_progress"] == 0
    # The reason is on the unit: its notes (API and admin) and its status says scrapped.
    unit = Unit.objects.get(raw_serial_number="DMP1001")
    assert unit.current_status["category"] == "CANCELLED"
    notes = ada.get(f"/api/units/{unit.public_id}/notes").json()["_embedded"]["nter:notes"]
    assert [note["text"] for note in notes] == ["Screen cracked in transit"]
    assert_integrity()


def test_the_cancel_action_takes_a_reason_too(floor, ada):
    take(ada, floor["batch"], "DMP1010")
    cycle = _cycle_of("DMP1010")

    assert_problem(
        ada.post(f"/api/cycles/{cycle.public_id}/cancel", {"reason": 42}, format="json"),
        400,
        "Bad Request",
    )
    assert Context.objects.get(cycle=cycle).state == "RUNNING"
    response = ada.post(
        f"/api/cycles/{cycle.public_id}/cancel", {"reason": "Customer recalled it"}, format="json"
    )

    assert_status(response, 200)
    assert Context.objects.get(cycle=cycle).state == "CANCELLED"
    assert [note.text for note in Note.objects.filter(unit=cycle.unit)] == ["Customer recalled it"]


def test_a_cancel_without_a_reason_is_still_a_cancel(floor, ada):
    take(ada, floor["batch"], "DMP1002")
    cycle = _cycle_of("DMP1002")

    response = ada.patch(
        f"/api/cycles/{cycle.public_id}", {"current_status": CANCELLED}, format="json"
    )

    assert_status(response, 200)
    assert Context.objects.get(cycle=cycle).state == "CANCELLED"
    assert not Note.objects.exists()


def test_a_bad_status_with_a_reason_changes_nothing(floor, ada):
    take(ada, floor["batch"], "DMP1003")
    cycle = _cycle_of("DMP1003")

    response = ada.patch(
        f"/api/cycles/{cycle.public_id}",
        {"current_status": {"status": "Lost", "category": "CANCELLED"}, "reason": "gone"},
        format="json",
    )

    assert_problem(response, 400, "Bad Request")
    assert Context.objects.get(cycle=cycle).state == "RUNNING"
    assert _cycle_of("DMP1003").category == "IN_PROGRESS"
    assert not Note.objects.exists()


def test_the_cycle_admin_asks_why_before_it_cancels(floor, ada, manager):
    take(ada, floor["batch"], "DMP1004")
    cycle = _cycle_of("DMP1004")
    url = f"/admin/batches/cycle/{cycle.pk}/change/"
    page = manager.get(url)
    assert 'name="reason"' in page.content.decode()

    refused = manager.post(url, {**changeform_data(page), "current_status": "Cancelled"})

    assert refused.status_code == 200
    assert "Say why" in refused.content.decode()
    assert Context.objects.get(cycle=cycle).state == "RUNNING"

    done = manager.post(
        url,
        {**changeform_data(page), "current_status": "Cancelled", "reason": "Water damage"},
    )

    assert done.status_code == 302
    assert Context.objects.get(cycle=cycle).state == "CANCELLED"
    unit = Unit.objects.get(raw_serial_number="DMP1004")
    unit_page = manager.get(f"/admin/units/unit/{unit.pk}/change/").content.decode()
    assert "Water damage" in unit_page


def test_the_bulk_action_asks_why_and_ends_every_run(floor, ada, manager):
    take(ada, floor["batch"], "DMP1005")
    take(ada, floor["batch"], "DMP1006")
    customer = floor["customer"]
    selected = [str(pk) for pk in Cycle.objects.values_list("pk", flat=True)]
    form = {"action": "set_status", "_selected_action": selected, "apply": "1"}

    refused = manager.post("/admin/batches/cycle/", {**form, f"status_{customer.pk}": "Cancelled"})

    assert refused.status_code == 200 and "Say why" in refused.content.decode()
    assert set(Context.objects.values_list("state", flat=True)) == {"RUNNING"}

    manager.post(
        "/admin/batches/cycle/",
        {**form, f"status_{customer.pk}": "Cancelled", "reason": "Order withdrawn"},
    )

    assert set(Context.objects.values_list("state", flat=True)) == {"CANCELLED"}
    assert set(Cycle.objects.values_list("category", flat=True)) == {"CANCELLED"}
    # Two notes on the two devices, one on the work order for the eight not started.
    assert sorted(Note.objects.filter(unit__isnull=False).values_list("text", flat=True)) == [
        "Order withdrawn",
        "Order withdrawn",
    ]
    [on_order] = Note.objects.filter(work_order=floor["work_order"])
    assert on_order.label == "Cancelled: 8 cycles not started"
    assert_integrity()


# -- a serial is produced once ---------------------------------------------------------------


def test_a_shipped_device_says_complete_and_cannot_start_again_by_accident(floor, ada, grace):
    run = _produce(floor, ada, grace, "DMP2001")
    assert run["status"] == "SUCCEEDED"
    unit = Unit.objects.get(raw_serial_number="DMP2001")
    assert unit.current_status["category"] == "COMPLETE"

    problem = assert_problem(take(ada, floor["batch"], "DMP2001"), 409, "Conflict")

    assert "rework" in problem["detail"]
    assert Cycle.objects.filter(unit=unit).count() == 1


def test_a_rework_runs_the_device_again_linked_to_the_cycle_that_produced_it(floor, ada, grace):
    _produce(floor, ada, grace, "DMP2002")
    first = _cycle_of("DMP2002")

    response = take(ada, floor["batch"], "DMP2002", rework=True)

    assert_status(response, 200)
    again = _cycle_of("DMP2002")
    assert again.pk != first.pk and again.rework_of_id == first.pk
    cycle = ada.get(f"/api/cycles/{again.public_id}").json()
    assert cycle["rework_of"]["cycle_id"] == first.public_id
    assert cycle["rework_of"]["_links"]["self"]["href"].endswith(f"/cycles/{first.public_id}")
    assert ada.get(f"/api/cycles/{first.public_id}").json()["rework_of"] is None
    unit = Unit.objects.get(raw_serial_number="DMP2002")
    assert unit.current_status["category"] == "IN_PROGRESS"


def test_a_device_in_progress_is_refused_even_as_a_rework(floor, ada):
    take(ada, floor["batch"], "DMP2003")

    assert_problem(take(ada, floor["batch"], "DMP2003", rework=True), 409, "Conflict")
    assert Cycle.objects.filter(unit__raw_serial_number="DMP2003").count() == 1


def test_a_serial_without_its_parts_prefix_is_refused(floor, ada):
    problem = assert_problem(take(ada, floor["batch"], "XYZ0001"), 400, "Bad Request")

    assert "DMP" in str(problem)
    assert not Unit.objects.exists()
    assert counters(floor["work_order"])["in_progress"] == 0


def test_rework_must_be_a_boolean(floor, ada):
    assert_problem(take(ada, floor["batch"], "DMP2004", rework="yes"), 400, "Bad Request")
    assert not Unit.objects.exists()


# -- a device is found by its serial ---------------------------------------------------------


def test_the_admin_finds_a_device_and_its_cycles_by_serial_with_or_without_prefix(
    floor, ada, manager
):
    # (Serials with a letter no UUID has: "3001" alone may be in a cycle's public id.)
    take(ada, floor["batch"], "DMPQ3001")
    take(ada, floor["batch"], "DMPQ3002")
    cycle = _cycle_of("DMPQ3001")

    for term in ("DMPQ3001", "Q3001", " DMPQ3001 "):
        cycles = manager.get("/admin/batches/cycle/", {"q": term}).context["cl"].result_list
        assert [found.pk for found in cycles] == [cycle.pk], term
        units = manager.get("/admin/units/unit/", {"q": term}).context["cl"].result_list
        assert [unit.raw_serial_number for unit in units] == ["DMPQ3001"], term
