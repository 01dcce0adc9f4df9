"""The catalogue and the devices over the API: the rules beyond the generic contract."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CustomerFactory,
    LocationFactory,
    ManufacturerFactory,
    PartFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)
from tests.helpers import (
    assert_problem,
    assert_status,
    client_for,
    patch_json,
    post_json,
    put_json,
)
from units.models import Manufacturer, Part, Unit
from users.roles import FloorRole
from users.services import user_set_role

pytestmark = pytest.mark.django_db

IN_PROGRESS = {"status": "In Progress", "category": "IN_PROGRESS"}


def unit_body(part, location, **changes):
    return {
        "label": "iPad",
        "part": {"part_id": part.public_id},
        "current_location": {"location_id": location.public_id},
        "current_status": {"status": "Pending", "category": "PENDING"},
        **changes,
    }


def test_manufacturer_labels_are_unique_in_any_case(api):
    ManufacturerFactory(label="Apple")

    response = post_json(api, "/api/manufacturers", {"label": "  APPLE "})

    problem = assert_problem(response, 409, "Conflict")
    assert "Apple" in problem["detail"] or "APPLE" in problem["detail"]
    assert Manufacturer.objects.count() == 1


def test_a_manufacturer_with_parts_is_locked(api):
    part = PartFactory()

    response = api.delete(f"/api/manufacturers/{part.manufacturer.public_id}")

    assert_problem(response, 423, "Locked")
    assert Manufacturer.objects.filter(pk=part.manufacturer.pk).exists()


def test_a_part_number_is_unique_per_customer_and_manufacturer(api):
    part = PartFactory(part_number="MPQ03LL/A")
    body = {
        "label": "Another iPad",
        "customer": {"customer_id": part.customer.public_id},
        "manufacturer": {
            "manufacturer_id": part.manufacturer.public_id,
            "part_number": "MPQ03LL/A",
        },
        "serial_prefix": None,
    }

    assert_problem(post_json(api, "/api/parts", body), 409, "Conflict")
    elsewhere = {**body, "customer": {"customer_id": CustomerFactory().public_id}}
    assert_status(post_json(api, "/api/parts", elsewhere), 200)
    assert Part.objects.filter(part_number="MPQ03LL/A").count() == 2


def test_a_part_without_its_manufacturer_part_number_is_a_400(api):
    body = {
        "label": "iPad",
        "customer": {"customer_id": CustomerFactory().public_id},
        "manufacturer": {"manufacturer_id": ManufacturerFactory().public_id},
    }

    problem = assert_problem(post_json(api, "/api/parts", body), 400, "Bad Request")
    assert [m["dataPath"] for m in problem["validation_messages"]] == [".manufacturer.part_number"]
    assert not Part.objects.exists()


def test_a_part_answers_its_manufacturer_number_and_unit_counters(api):
    part = PartFactory(part_number="MPQ03LL/A")
    UnitFactory.create_batch(3, part=part)
    UnitFactory(part=part, project=ProjectFactory(program__customer=part.customer))

    body = api.get(f"/api/parts/{part.public_id}").json()

    assert body["manufacturer"]["manufacturer_id"] == part.manufacturer.public_id
    assert body["manufacturer"]["part_number"] == "MPQ03LL/A"
    assert (
        body["total_units"],
        body["total_units_allocated"],
        body["total_units_unallocated"],
    ) == (
        4,
        1,
        3,
    )


def test_a_part_with_units_is_locked(api):
    unit = UnitFactory()

    assert_problem(api.delete(f"/api/parts/{unit.part.public_id}"), 423, "Locked")
    assert Part.objects.filter(pk=unit.part.pk).exists()


def test_the_serial_number_is_the_raw_one_without_the_part_prefix(api):
    part, location = PartFactory(serial_prefix="ABC"), LocationFactory()

    response = post_json(
        api, "/api/units", unit_body(part, location, raw_serial_number="ABCDEF123456")
    )

    assert_status(response, 200)
    unit = response.json()
    assert (unit["raw_serial_number"], unit["serial_number"]) == ("ABCDEF123456", "DEF123456")


def test_a_changed_prefix_changes_the_serial_numbers(api):
    unit = UnitFactory(part=PartFactory(serial_prefix="ABC"), raw_serial_number="ABCDEF1")
    fetched = api.get(f"/api/parts/{unit.part.public_id}").json()

    assert_status(
        put_json(api, f"/api/parts/{unit.part.public_id}", {**fetched, "serial_prefix": "ABCD"}),
        200,
    )

    assert api.get(f"/api/units/{unit.public_id}").json()["serial_number"] == "EF1"


def test_a_serial_number_is_unique_per_part(api):
    unit = UnitFactory(raw_serial_number="ABC123")
    location = LocationFactory()

    twin = post_json(api, "/api/units", unit_body(unit.part, location, raw_serial_number="ABC123"))

    assert_problem(twin, 409, "Conflict")
    other_part = PartFactory(customer=unit.part.customer)
    assert_status(
        post_json(api, "/api/units", unit_body(other_part, location, raw_serial_number="ABC123")),
        200,
    )
    assert Unit.objects.filter(raw_serial_number="ABC123").count() == 2


def test_units_without_serial_numbers_are_many(api):
    part, location = PartFactory(), LocationFactory()

    for _ in range(2):
        assert_status(post_json(api, "/api/units", unit_body(part, location)), 200)

    assert [
        u["serial_number"]
        for u in api.get(f"/api/parts/{part.public_id}/units").json()["_embedded"]["nter:units"]
    ] == [None, None]


def test_a_unit_status_comes_from_its_customer(api):
    part, location = PartFactory(), LocationFactory()
    body = unit_body(part, location, current_status={"status": "Shipped", "category": "COMPLETE"})

    problem = assert_problem(post_json(api, "/api/units", body), 400, "Bad Request")

    assert [m["dataPath"] for m in problem["validation_messages"]] == [".current_status"]
    assert not Unit.objects.exists()


def test_patch_changes_the_status_and_location_only(api):
    unit = UnitFactory(tenant_part_number="ASSET-1")
    dock = LocationFactory(label="Shipping dock")
    url = f"/api/units/{unit.public_id}"

    response = patch_json(
        api,
        url,
        {"current_status": IN_PROGRESS, "current_location": {"location_id": dock.public_id}},
    )

    assert_status(response, 200)
    body = response.json()
    assert body["current_status"]["status"] == "In Progress"
    assert body["current_location"]["location_id"] == dock.public_id
    assert body["tenant_part_number"] == "ASSET-1"


@pytest.mark.parametrize(
    ("changes", "data_path"),
    [
        ({"current_status": {"status": "Nope", "category": "PENDING"}}, ".current_status"),
        ({"current_location": {"location_id": "missing"}}, ".current_location.location_id"),
        ({"label": None}, ".label"),
        ({"colour": "red"}, ".colour"),
    ],
)
def test_a_bad_patch_is_a_400_that_changes_nothing(api, changes, data_path):
    unit = UnitFactory()
    before = api.get(f"/api/units/{unit.public_id}").json()

    response = patch_json(api, f"/api/units/{unit.public_id}", changes)

    problem = assert_problem(response, 400, "Bad Request")
    assert data_path in [m["dataPath"] for m in problem["validation_messages"]]
    assert api.get(f"/api/units/{unit.public_id}").json() == before


def test_intake_values_pass_the_part_definition(api):
    imei = {
        "key": "imei",
        "label": "IMEI",
        "filters": [],
        "validators": [{"type": "length", "options": {"length": 15, "operator": "equals"}}],
        "locked": True,
    }
    part, location = PartFactory(input_filter=[imei]), LocationFactory()
    short = unit_body(part, location, input_filter=[{**imei, "validators": [], "value": "123"}])

    problem = assert_problem(post_json(api, "/api/units", short), 400, "Bad Request")

    assert {m["keyword"] for m in problem["validation_messages"]} >= {"locked"}
    too_short = unit_body(part, location, input_filter=[{**imei, "value": "123"}])
    problem = assert_problem(post_json(api, "/api/units", too_short), 400, "Bad Request")
    assert [m["keyword"] for m in problem["validation_messages"]] == ["validators"]
    good = unit_body(part, location, input_filter=[{**imei, "value": "356938035643809"}])
    assert_status(post_json(api, "/api/units", good), 200)
    assert Unit.objects.count() == 1


def test_a_customer_cannot_drop_a_status_its_units_carry(api):
    unit = UnitFactory()
    unit.current_status = {"status": "Blocked", "category": "BLOCKED"}
    unit.full_clean()
    unit.save()
    customer = unit.part.customer
    fetched = api.get(f"/api/customers/{customer.public_id}").json()
    kept = [s for s in fetched["allowed_statuses"] if s["status"] != "Blocked"]

    response = put_json(
        api, f"/api/customers/{customer.public_id}", {**fetched, "allowed_statuses": kept}
    )

    problem = assert_problem(response, 409, "Conflict")
    assert "unit" in str(problem["validation_messages"])


def test_a_project_lists_the_units_allocated_to_it(api):
    project = ProjectFactory()
    allocated = UnitFactory(part=PartFactory(customer=project.program.customer), project=project)
    UnitFactory(part=allocated.part)

    page = api.get(f"/api/projects/{project.public_id}/units").json()

    assert [u["unit_id"] for u in page["_embedded"]["nter:units"]] == [allocated.public_id]


def test_a_production_manager_runs_the_catalogue_a_technician_does_not_see_it():
    manager, technician = UserFactory(), UserFactory()
    user_set_role(manager, role=FloorRole.MANAGER)
    user_set_role(technician, role=FloorRole.TECHNICIAN)
    unit = UnitFactory()

    created = post_json(client_for(manager), "/api/manufacturers", {"label": "Zebra"})

    assert_status(created, 200)
    assert_status(client_for(manager).get(f"/api/units/{unit.public_id}"), 200)
    assert_status(client_for(technician).get(f"/api/units/{unit.public_id}"), 404)
    refused = post_json(client_for(technician), "/api/manufacturers", {"label": "Honeywell"})
    assert_status(refused, 403)


def test_units_are_found_by_serial_number_and_status_category(api):
    wanted = UnitFactory(part=PartFactory(serial_prefix="ABC"), raw_serial_number="ABC777")
    UnitFactory(part=wanted.part, raw_serial_number="ABC778")
    blocked = UnitFactory(
        part=wanted.part, current_status={"status": "Blocked", "category": "BLOCKED"}
    )

    def found(**query):
        response = api.get("/api/units", {f"filter[{k}]": v for k, v in query.items()})
        assert_status(response, 200)
        return [u["unit_id"] for u in response.json()["_embedded"]["nter:units"]]

    assert found(serial_number="777") == [wanted.public_id]
    assert found(raw_serial_number="ABC777") == [wanted.public_id]
    assert found(category="BLOCKED") == [blocked.public_id]
    problem = assert_problem(
        api.get("/api/units", {"filter[category]": "LOST"}), 400, "Bad Request"
    )
    assert "BLOCKED" in problem["validation_messages"][0]["params"]["allowedValues"]


def test_a_part_with_units_stays_with_its_customer(api):
    unit = UnitFactory()
    url = f"/api/parts/{unit.part.public_id}"
    fetched = api.get(url).json()
    elsewhere = {**fetched, "customer": {"customer_id": CustomerFactory().public_id}}

    assert_problem(put_json(api, url, elsewhere), 423, "Locked")

    assert Part.objects.get(pk=unit.part.pk).customer_id == unit.part.customer_id
    assert_status(put_json(api, url, {**fetched, "label": "Renamed"}), 200)


def test_a_project_s_units_cost_the_same_queries_for_one_or_many(api):
    project = ProjectFactory()
    part = PartFactory(customer=project.program.customer)
    url = f"/api/projects/{project.public_id}/units"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert_status(api.get(url, {"limit": 100}), 200)
        return len(captured.captured_queries)

    UnitFactory(part=part, project=project)
    api.get(url)  # warm the per-process caches
    one = queries()
    UnitFactory.create_batch(6, part=PartFactory(customer=part.customer), project=project)

    assert queries() == one


def test_a_nul_character_in_a_serial_number_filter_is_a_400(api):
    UnitFactory()

    response = api.get("/api/units", {"filter[raw_serial_number]": "AB\x00C"})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".filter[raw_serial_number]"


def test_a_prefix_is_stripped_in_its_own_case_only(api):
    part = PartFactory(serial_prefix="")
    upper = UnitFactory(part=part, raw_serial_number="ABC1")
    lower = UnitFactory(part=part, raw_serial_number="abc2")
    fetched = api.get(f"/api/parts/{part.public_id}").json()

    put_json(api, f"/api/parts/{part.public_id}", {**fetched, "serial_prefix": "ABC"})

    upper.refresh_from_db()
    lower.refresh_from_db()
    assert (upper.serial_number, lower.serial_number) == ("1", "abc2")
    put_json(api, f"/api/parts/{part.public_id}", {**fetched, "serial_prefix": None})
    upper.refresh_from_db()
    assert upper.serial_number == "ABC1"
