"""Runs on resources: a run may start on a line or station, or be placed on one by a
``set-entity-location`` step; each resource lists its runs."""

import pytest

from tests.factories import LocationFactory, ResourceFactory, SubResourceFactory, UnitFactory
from tests.helpers import assert_problem, assert_status, client_for, post_json
from tests.tenancy import plant

from .shop import build_floor

pytestmark = pytest.mark.django_db


def test_a_run_started_on_a_resource_is_listed_under_it(api):
    floor = build_floor(devices=1)
    station = ResourceFactory(location=floor["queue"].location, label="Imaging bench 1")
    unit = UnitFactory(part=floor["part"], current_location=floor["queue"].location)
    url = f"/api/work-flows/{floor['workflow'].public_id}/contexts"

    started = post_json(
        api,
        url,
        {"entity_type": "UNIT", "entity_id": unit.public_id, "resource_id": station.public_id},
    )

    assert_status(started, 200)
    run = started.json()
    assert run["resource_id"] == station.public_id
    assert run["_links"]["nter:context-resource"]["href"].endswith(
        f"/api/resources/{station.public_id}"
    )
    listed = api.get(f"/api/resources/{station.public_id}/contexts").json()
    assert [each["context_id"] for each in listed["_embedded"]["nter:contexts"]] == [
        run["context_id"]
    ]
    assert_problem(
        post_json(
            api, url, {"entity_type": "UNIT", "entity_id": unit.public_id, "resource_id": "x"}
        ),
        400,
        "Bad Request",
    )


def test_a_step_places_the_unit_on_a_port_and_the_run_on_its_resource(api):
    from workorders.services import WorkFlowFields, workflow_create

    floor = build_floor(devices=1)
    elsewhere = LocationFactory(label="Imaging room")
    station = ResourceFactory(location=elsewhere, label="Imaging rack")
    port = SubResourceFactory(resource=station, label="Port 7")
    steps = {
        "to-port": {
            "step_type": "function",
            "label": "Plug into a port",
            "options": {
                "function": "set-entity-location",
                "payload": {"location_type": "sub_resource_id", "sub_resource_id": port.public_id},
            },
            "goto": "done",
        },
        "done": {"step_type": "success", "label": "Done"},
    }
    workflow = workflow_create(
        actor=None,
        fields=WorkFlowFields(
            label="Image on a rack", applies_to="UNIT", starts_at="to-port", steps=steps
        ),
    )
    unit = UnitFactory(part=floor["part"], current_location=floor["queue"].location)

    started = post_json(
        api,
        f"/api/work-flows/{workflow.public_id}/contexts",
        {"entity_type": "UNIT", "entity_id": unit.public_id},
    )

    assert_status(started, 200)
    assert started.json()["resource_id"] == station.public_id
    unit.refresh_from_db()
    assert unit.current_location == elsewhere
    listed = api.get(f"/api/resources/{station.public_id}/contexts").json()
    assert len(listed["_embedded"]["nter:contexts"]) == 1


def test_a_locations_resource_is_fetched_under_it_and_another_customers_is_not():
    from tests.factories import QueueFactory, make_workflow
    from units.models import Manufacturer

    shared = {
        "workflow": make_workflow(label="Shared flow"),
        "manufacturer": Manufacturer.objects.create(label="Apple"),
        "shared_queue": QueueFactory(location=LocationFactory(label="Shared site")),
    }
    acme = plant("Acme", people=("maria", "tess"), **shared)
    globex = plant("Globex", people=("greg", "gail"), **shared)
    api = client_for(acme.manager)
    site, station = acme["site"], acme["station"]

    own = api.get(f"/api/locations/{site.public_id}/resources/{station.public_id}")
    misplaced = api.get(f"/api/locations/{site.public_id}/resources/{globex['station'].public_id}")
    theirs = api.get(f"/api/resources/{globex['station'].public_id}/contexts")

    assert_status(own, 200)
    assert own.json()["resource_id"] == station.public_id
    assert_problem(misplaced, 404, "Not Found")
    assert_problem(theirs, 404, "Not Found")
