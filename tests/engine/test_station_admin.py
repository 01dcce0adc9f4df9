"""The technician station through the admin's test client: problems are messages (never a
500, nothing changed), a customer with several parts asks which one, and the station's lists
cost the same queries for one batch or many."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from batches.models import Cycle
from batches.services import batches_create
from engine.models import Context
from engine.selectors import STATION_PAGE
from relations.services import relate_many
from tests.factories import PartFactory, make_work_order
from units.models import Unit

from .shop import build_floor

pytestmark = pytest.mark.django_db

STATION = "/admin/engine/context/station/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def take(client, batch, serial, **extra):
    url = f"{STATION}batch/{batch.pk}/take/"
    return client.post(url, {"serial": serial, **extra}, follow=True)


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_a_scanned_serial_opens_the_devices_first_step():
    floor = build_floor(devices=2)
    tess = signed_in(floor["techs"][0])

    response = take(tess, floor["batch"], "DMP0001")

    assert response.status_code == 200
    assert b"Unbox and inspect" in response.content
    assert Cycle.objects.filter(unit__raw_serial_number="DMP0001").exists()


def test_a_serial_in_an_unfinished_cycle_is_a_message_and_changes_nothing():
    floor = build_floor(devices=2)
    tess = signed_in(floor["techs"][0])
    take(tess, floor["batch"], "DMP0001")

    response = take(tess, floor["batch"], "DMP0001")

    assert response.status_code == 200
    assert "already in" in messages_of(response)
    assert Cycle.objects.filter(unit__isnull=False).count() == 1


def test_several_parts_ask_which_one_the_device_is():
    floor = build_floor(devices=2)
    other = PartFactory(customer=floor["customer"], label="iPad mini", serial_prefix="MINI")
    tess = signed_in(floor["techs"][0])

    page = tess.get(STATION)
    unnamed = take(tess, floor["batch"], "MINI1")
    named = take(tess, floor["batch"], "MINI1", part=other.pk)

    assert b"Which part?" in page.content
    assert "name the device" in messages_of(unnamed)
    assert named.status_code == 200
    assert Unit.objects.get(raw_serial_number="MINI1").part == other


def test_a_bad_step_is_a_message_and_the_run_stays_where_it_was():
    floor = build_floor(devices=1)
    tess = signed_in(floor["techs"][0])
    take(tess, floor["batch"], "DMP0001")
    run = Context.objects.get()
    tess.post(f"{STATION}run/{run.pk}/", {"action": "complete"})

    response = tess.post(f"{STATION}run/{run.pk}/", {"action": "complete"}, follow=True)

    assert "IMEI" in messages_of(response) and "required" in messages_of(response)
    run.refresh_from_db()
    assert run.current_steps == ["enter-details"]


def test_a_stranger_cannot_open_another_batchs_run():
    floor, other = build_floor(devices=1), build_floor(devices=1)
    take(signed_in(floor["techs"][0]), floor["batch"], "DMP0001")
    run = Context.objects.get()

    response = signed_in(other["techs"][0]).get(f"{STATION}run/{run.pk}/")

    assert response.status_code == 404


def test_the_station_costs_the_same_queries_for_one_batch_or_many():
    floor = build_floor(devices=4)
    tess_user = floor["techs"][0]
    tess = signed_in(tess_user)
    take(tess, floor["batch"], "DMP0001")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert tess.get(STATION).status_code == 200
        return len(captured)

    tess.get(STATION)  # warm the per-process caches
    few = queries()
    for _ in range(3):
        relate_many([(tess_user, "tech")], [build_floor(devices=2)["batch"]])
    for serial in ("DMP0002", "DMP0003", "DMP0004"):
        take(tess, floor["batch"], serial)
    many = queries()

    assert few == many


def test_a_runs_steps_name_who_closed_them():
    floor = build_floor(devices=1)
    tess_user = floor["techs"][0]
    tess_user.first_name, tess_user.last_name = "Tess", "Ng"
    tess_user.save()
    tess = signed_in(tess_user)
    take(tess, floor["batch"], "DMP0001")
    run = Context.objects.get()
    tess.post(f"{STATION}run/{run.pk}/", {"action": "complete"})

    page = tess.get(f"{STATION}run/{run.pk}/")

    assert "Tess Ng" in page.content.decode()


def test_a_runs_admin_page_shows_its_steps(manager):
    floor = build_floor(devices=1)
    tess = signed_in(floor["techs"][0])
    take(tess, floor["batch"], "DMP0001")
    run = Context.objects.get()
    tess.post(f"{STATION}run/{run.pk}/", {"action": "complete"})

    page = manager.get(f"/admin/engine/context/{run.pk}/change/")

    assert page.status_code == 200
    assert "Unbox and inspect" in page.content.decode()
    assert floor["techs"][0].username in page.content.decode()


def test_the_station_lists_a_page_of_the_batches_with_devices_to_take():
    """A technician sees their next work, a page at a time, not every batch they hold: the
    batches with devices still to take, in queue order; a batch whose devices are all taken
    leaves the list (its devices are under "Devices in progress")."""
    floor = build_floor(devices=1)
    tess_user = floor["techs"][0]
    tess = signed_in(tess_user)
    more = [
        batches_create(
            actor=None,
            work_order=make_work_order(
                project=floor["project"], cycles=[(1, floor["workflow"])], label=f"Order {n}"
            ),
            queue=floor["queue"],
            number_cycles=1,
            users=[tess_user],
        )[0]
        for n in range(STATION_PAGE)
    ]
    take(tess, floor["batch"], "DMP0001")  # its only device: all taken

    first = tess.get(STATION)
    rows = first.context["batches"]
    assert [batch.pk for batch in rows] == [batch.pk for batch in more]
    assert floor["batch"].pk not in {batch.pk for batch in rows}
    assert all((batch.to_take, batch.total) == (1, 1) for batch in rows)
    assert first.context["next_page"] is None  # exactly a page

    extra = batches_create(
        actor=None,
        work_order=make_work_order(
            project=floor["project"], cycles=[(1, floor["workflow"])], label="Order last"
        ),
        queue=floor["queue"],
        number_cycles=1,
        users=[tess_user],
    )[0]
    first = tess.get(STATION)
    assert len(first.context["batches"]) == STATION_PAGE
    assert first.context["next_page"] == 2 and 'href="?page=2"' in first.content.decode()
    second = tess.get(f"{STATION}?page=2")
    assert [batch.pk for batch in second.context["batches"]] == [extra.pk]
    assert second.context["previous_page"] == 1 and second.context["next_page"] is None
    assert tess.get(f"{STATION}?page=x").status_code == 200  # a bad page is the first


def test_failing_a_step_asks_why_first_and_keeps_the_reason():
    floor = build_floor(devices=2)
    tess = signed_in(floor["techs"][0])
    run_page = take(tess, floor["batch"], "DMP0101").redirect_chain[-1][0]

    asked = tess.post(run_page, {"action": "fail"})

    # The first click changes nothing: it asks, with a field named reason.
    assert asked.status_code == 200 and b'name="reason"' in asked.content
    run = Context.objects.get(unit__raw_serial_number="DMP0101")
    assert run.current_steps == ["unbox"] and run.last_steps == []
    # Confirming without a reason asks again.
    again = tess.post(run_page, {"action": "fail", "confirm": "1", "reason": " "})
    assert again.status_code == 200 and b"Say why" in again.content
    assert Context.objects.get(pk=run.pk).last_steps == []

    done = tess.post(run_page, {"action": "fail", "confirm": "1", "reason": "Box crushed"})

    assert done.status_code == 302
    run.refresh_from_db()
    assert run.state == "FAILED"
    assert run.last_steps[0]["type"] == "fail" and run.last_steps[0]["message"] == "Box crushed"
    unit = Unit.objects.get(raw_serial_number="DMP0101")
    assert [note.text for note in unit.notes.all()] == ["Box crushed"]
    assert Cycle.objects.get(unit=unit).category == "BLOCKED"


def test_cancelling_a_blocked_unit_from_triage_asks_why_and_it_stays_cancelled(manager):
    floor = build_floor(devices=2)
    tess = signed_in(floor["techs"][0])
    run_page = take(tess, floor["batch"], "DMP0102").redirect_chain[-1][0]
    tess.post(run_page, {"action": "fail", "confirm": "1", "reason": "Will not boot"})
    cycle = Cycle.objects.get(unit__raw_serial_number="DMP0102")
    url = f"{STATION}cycle/{cycle.pk}/cancel/"

    cockpit = manager.get("/admin/").content.decode()
    assert url in cockpit
    asked = manager.post(url, {"next": "/admin/"})

    assert asked.status_code == 200 and b'name="reason"' in asked.content
    assert Cycle.objects.get(pk=cycle.pk).category == "BLOCKED"

    done = manager.post(url, {"next": "/admin/", "confirm": "1", "reason": "Logic board dead"})

    assert done.status_code == 302
    cycle.refresh_from_db()
    assert cycle.category == "CANCELLED"
    unit = cycle.unit
    unit.refresh_from_db()
    assert unit.current_status["category"] == "CANCELLED"
    texts = set(unit.notes.values_list("text", flat=True))
    assert texts == {"Will not boot", "Logic board dead"}
    page = manager.get(f"/admin/units/unit/{unit.pk}/change/").content.decode()
    assert "Logic board dead" in page


SCAN = f"{STATION}scan/"


def test_the_station_has_one_scan_field_that_finds_a_device_wherever_it_is():
    floor = build_floor(devices=3)
    tess = signed_in(floor["techs"][0])
    page = tess.get(STATION).content.decode()
    assert page.count("autofocus") == 1 and page.count('type="text"') <= 3

    # A new device starts in the chosen batch and opens on its first step.
    started = tess.post(SCAN, {"serial": "DMP0201", "batch": floor["batch"].pk})
    run = Context.objects.get(unit__raw_serial_number="DMP0201")
    assert started.status_code == 302 and started.url.endswith(f"/station/run/{run.pk}/")

    # Scanned again while in progress: it opens on its current step, nothing new starts.
    again = tess.post(SCAN, {"serial": "DMP0201", "batch": floor["batch"].pk})
    assert again.url == started.url
    assert Cycle.objects.filter(unit__raw_serial_number="DMP0201").count() == 1
    # Without the prefix too (as the label under the barcode shows it).
    assert tess.post(SCAN, {"serial": "0201"}).url == started.url


def test_scanning_a_produced_device_shows_its_history_unless_it_is_a_rework():
    floor = build_floor(devices=3)
    tess = signed_in(floor["techs"][0])
    tess.post(SCAN, {"serial": "DMP0202", "batch": floor["batch"].pk})
    first = Cycle.objects.get(unit__raw_serial_number="DMP0202")
    Cycle.objects.filter(pk=first.pk).update(category="COMPLETE")
    Context.objects.filter(cycle=first).update(state="SUCCEEDED", current_steps=[])
    run = Context.objects.get(cycle=first)

    shown = tess.post(SCAN, {"serial": "DMP0202", "batch": floor["batch"].pk}, follow=True)

    assert shown.redirect_chain[-1][0].endswith(f"/station/run/{run.pk}/")
    assert "produced already" in messages_of(shown)
    assert Cycle.objects.filter(unit__raw_serial_number="DMP0202").count() == 1

    reworked = tess.post(
        SCAN, {"serial": "DMP0202", "batch": floor["batch"].pk, "rework": "on"}, follow=True
    )

    assert reworked.status_code == 200
    again = Cycle.objects.filter(unit__raw_serial_number="DMP0202").latest("pk")
    assert again.pk != first.pk and again.rework_of_id == first.pk


def test_a_scan_without_a_serial_or_a_batch_is_a_message():
    floor = build_floor(devices=1)
    tess = signed_in(floor["techs"][0])

    assert "Scan a serial" in messages_of(tess.post(SCAN, {"serial": " "}, follow=True))
    assert "choose the batch" in messages_of(tess.post(SCAN, {"serial": "DMP9"}, follow=True))
    assert not Unit.objects.exists()
