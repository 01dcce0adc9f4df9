"""Notes on units and work orders: a technician asks for help on a blocked device, a manager
reads and closes the issue; counters on the unit and the work order follow."""

import pytest

from notes.models import Note
from tests.engine.shop import build_floor
from tests.factories import UnitFactory, make_work_order
from tests.helpers import assert_problem, assert_status, client_for, patch_json, post_json

pytestmark = pytest.mark.django_db

HELP = {"label": "Screen flickers", "text": "Flickers after imaging; needs a look.", "issue": True}


@pytest.fixture
def floor():
    return build_floor(devices=2)


@pytest.fixture
def scanned(floor):
    """A technician, and the unit they scanned into a cycle."""
    tech = client_for(floor["techs"][0])
    url = f"/api/batches/{floor['batch'].public_id}/cycles/next"
    run = post_json(tech, url, {"raw_serial_number": "DMP42"}).json()
    return tech, run["entity"]["entity_id"]


def test_a_technician_raises_an_issue_on_the_device_they_run(floor, scanned, api):
    tech, unit_id = scanned

    response = post_json(tech, f"/api/units/{unit_id}/notes", HELP)

    assert_status(response, 201)
    note = response.json()
    assert note["issue"] is True and note["closed"] is False and note["thread_id"] is None
    assert note["entity"] == {"entity_type": "UNIT", "entity_id": unit_id}
    assert note["created_by"]["user_id"] == floor["techs"][0].public_id
    assert "nter:note-created-by" in note["_links"]
    unit = api.get(f"/api/units/{unit_id}").json()
    assert unit["note_count"] == {"total": 1, "open_issues": 1, "closed_issues": 0}
    listed = tech.get(f"/api/units/{unit_id}/notes").json()["_embedded"]["nter:notes"]
    assert [n["note_id"] for n in listed] == [note["note_id"]]


def test_a_note_keeps_its_lines_and_refuses_control_characters(scanned):
    tech, unit_id = scanned
    lines = "Flickers after imaging.\r\n\tSteps:\n1. boot\n2. image"

    kept = post_json(tech, f"/api/units/{unit_id}/notes", {**HELP, "text": lines})
    refused = post_json(tech, f"/api/units/{unit_id}/notes", {**HELP, "text": "\x1b[31mred"})

    assert_status(kept, 201)
    assert Note.objects.get().text == lines
    problem = assert_problem(refused, 400, "Bad Request")
    assert [m["dataPath"] for m in problem["validation_messages"]] == [".text"]
    assert Note.objects.count() == 1


def test_a_manager_answers_in_the_thread_and_closes_the_issue(scanned, api):
    tech, unit_id = scanned
    issue = post_json(tech, f"/api/units/{unit_id}/notes", HELP).json()

    reply = post_json(
        api,
        f"/api/units/{unit_id}/notes",
        {"label": "Re: flicker", "text": "Reseat the cable.", "thread_id": issue["note_id"]},
    )
    closed = patch_json(api, f"/api/notes/{issue['note_id']}", {"closed": True})

    assert_status(reply, 201)
    assert reply.json()["thread_id"] == issue["note_id"]
    assert_status(closed, 200)
    assert closed.json()["closed"] is True
    unit = api.get(f"/api/units/{unit_id}").json()
    assert unit["note_count"] == {"total": 2, "open_issues": 0, "closed_issues": 1}


def test_work_orders_carry_notes_and_their_counts(api):
    work_order = make_work_order()
    url = f"/api/work-orders/{work_order.public_id}/notes"

    assert_status(post_json(api, url, {"label": "Kick-off", "text": "Ship by Friday"}), 201)

    assert api.get(f"/api/work-orders/{work_order.public_id}").json()["note_count"] == {
        "total": 1,
        "open_issues": 0,
        "closed_issues": 0,
    }
    assert len(api.get(url).json()["_embedded"]["nter:notes"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"label": "Empty", "text": ""},
        {"label": "Long", "text": "x" * 1001},
        {"text": "no label"},
        {"label": "Bool", "text": "t", "issue": "yes"},
        {"label": "Thread", "text": "t", "thread_id": "no-such-note"},
        {"label": "Extra", "text": "t", "colour": "red"},
    ],
    ids=["empty-text", "text-too-long", "no-label", "issue-not-boolean", "unknown-thread", "extra"],
)
def test_bad_notes_are_400s_and_nothing_is_written(api, body):
    unit = UnitFactory()

    response = post_json(api, f"/api/units/{unit.public_id}/notes", body)

    assert_problem(response, 400, "Bad Request")
    assert not Note.objects.exists()


def test_a_reply_must_stay_with_its_threads_entity(api):
    first, other = UnitFactory(), UnitFactory()
    note = post_json(api, f"/api/units/{first.public_id}/notes", HELP).json()

    response = post_json(
        api,
        f"/api/units/{other.public_id}/notes",
        {"label": "Re", "text": "t", "thread_id": note["note_id"]},
    )

    assert_problem(response, 400, "Bad Request")
    assert Note.objects.count() == 1


def test_notes_are_as_readable_as_what_they_are_about(floor, scanned, api):
    tech, unit_id = scanned
    note_id = post_json(tech, f"/api/units/{unit_id}/notes", HELP).json()["note_id"]
    elsewhere = UnitFactory()
    hidden = post_json(api, f"/api/units/{elsewhere.public_id}/notes", HELP).json()["note_id"]

    assert_status(tech.get(f"/api/notes/{note_id}"), 200)
    assert_problem(tech.get(f"/api/notes/{hidden}"), 404, "Not Found")
    assert_problem(tech.get(f"/api/units/{elsewhere.public_id}/notes"), 404, "Not Found")
    # Technicians write notes; closing and deleting them is for managers.
    assert_problem(patch_json(tech, f"/api/notes/{note_id}", {"closed": True}), 403, "Forbidden")
    assert_problem(tech.delete(f"/api/notes/{note_id}"), 403, "Forbidden")
    assert_status(api.delete(f"/api/notes/{note_id}"), 205)
    assert not Note.objects.filter(public_id=note_id).exists()


def test_every_technician_of_the_batch_may_note_its_devices(floor, scanned):
    _tess, unit_id = scanned
    theo = client_for(floor["techs"][1])  # assigned to the batch; did not scan the device

    response = post_json(theo, f"/api/units/{unit_id}/notes", HELP)

    assert_status(response, 201)
    assert len(theo.get(f"/api/units/{unit_id}/notes").json()["_embedded"]["nter:notes"]) == 1
