"""The names of the docs' wider schemas, where they name what Niagara already answers: a
context's ``work_flow`` (beside ``workflow``), a unit's ``location`` (beside
``current_location``, and either one written), a cycle's ``is_retry``, ``location_id`` and
``resource_id``."""

import pytest

from tests.contract.shop import build
from tests.factories import UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return build()


@pytest.fixture
def api():
    return client_for(UserFactory(is_superuser=True))


def test_a_context_answers_its_workflow_under_both_names(api, shop):
    context = api.get(f"/api/contexts/{shop['ids']['context']}").json()

    assert context["work_flow"] == context["workflow"]
    assert context["work_flow"]["work_flow_id"] == shop["ids"]["workflow"]


def test_a_unit_answers_and_takes_its_location_under_both_names(api, shop):
    unit = api.get(f"/api/units/{shop['ids']['unit']}").json()
    assert unit["location"] == unit["current_location"]

    body = {
        "label": "Docs-named unit",
        "part": {"part_id": shop["ids"]["part"]},
        "raw_serial_number": "DOCS-1",
        "location": {"location_id": shop["ids"]["location"]},
        "current_status": {"status": "Pending", "category": "PENDING"},
    }
    made = api.post("/api/units", body, format="json")
    assert made.status_code in (200, 201), made.content
    assert made.json()["current_location"]["location_id"] == shop["ids"]["location"]

    del body["location"]
    body["raw_serial_number"] = "DOCS-2"
    from units.models import Unit

    units = Unit.objects.count()
    missing = api.post("/api/units", body, format="json")
    assert missing.status_code == 400
    assert Unit.objects.count() == units
    assert missing.json()["validation_messages"][0]["dataPath"] == ".current_location"


def test_a_cycle_answers_the_docs_fields(api, shop):
    from engine.models import Context

    taken = Context.objects.filter(cycle__isnull=False).select_related("cycle", "started_by").get()

    cycle = api.get(f"/api/cycles/{taken.cycle.public_id}").json()
    waiting = api.get(f"/api/cycles/{shop['ids']['cycle']}").json()

    assert cycle["is_retry"] is False
    assert cycle["location_id"] == shop["ids"]["location"]
    assert cycle["context_id"] == taken.public_id
    assert cycle["assigned_user"] == taken.started_by.public_id == shop["ids"]["user"]
    assert cycle["resource_id"] is None
    page = api.get(f"/api/batches/{shop['ids']['batch']}/cycles").json()
    listed = {c["cycle_id"]: c for c in page["_embedded"]["nter:work-order-cycles"]}
    assert listed[taken.cycle.public_id]["context_id"] == taken.public_id
    if waiting["cycle_id"] != taken.cycle.public_id:
        assert waiting["context_id"] is None and waiting["assigned_user"] is None
