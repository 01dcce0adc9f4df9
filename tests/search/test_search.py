"""One search box: a raw serial, a serial without its part's prefix, a fragment of one, and a
work order's exact label each find their object, ranked, among what the viewer may read."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import LocationFactory, QueueFactory, make_workflow
from tests.helpers import assert_problem, assert_status, client_for
from tests.tenancy import plant
from units.models import Manufacturer

pytestmark = pytest.mark.django_db


@pytest.fixture
def floors():
    shared = {
        "workflow": make_workflow(label="Shared flow"),
        "manufacturer": Manufacturer.objects.create(label="Apple"),
        "shared_queue": QueueFactory(location=LocationFactory(label="Shared site")),
    }
    return plant("Acme", people=("maria", "tess"), **shared), plant(
        "Globex", people=("greg", "gail"), **shared
    )


def hits(client, q, **params):
    response = client.get("/api/search", {"q": q, **params})
    assert_status(response, 200)
    return response.json()["data"]["hits"]["hits"]


def found(client, q, **params) -> list[tuple[str, str]]:
    return [(hit["entity_type"], hit["entity_id"]) for hit in hits(client, q, **params)]


def test_serials_order_numbers_and_fragments_find_their_objects(floors):
    acme, _ = floors
    unit, work_order = acme["unit"], acme["work_order"]
    unit.part.serial_prefix = "SN-"
    unit.part.save(update_fields=["serial_prefix"])
    unit.raw_serial_number = "SN-ACME0001"
    unit.save()
    api = client_for(acme.manager)

    assert found(api, "SN-ACME0001")[0] == ("UNIT", unit.public_id)  # as scanned
    assert found(api, "acme0001")[0] == ("UNIT", unit.public_id)  # no prefix, any case
    assert ("UNIT", unit.public_id) in found(api, "ME000")  # a fragment
    assert found(api, "Acme work order")[0] == ("WOR", work_order.public_id)
    best = hits(api, "Acme work order")[0]
    assert best["_score"] == pytest.approx(3, abs=0.1)
    assert best["_source"]["entity_id"] == work_order.public_id
    assert best["_links"]["self"]["href"].endswith(f"/api/work-orders/{work_order.public_id}")
    # A note is found by a word of its text.
    assert ("NOTE", acme["note"].public_id) in found(api, "screen")


def test_another_customers_people_find_nothing_of_it(floors):
    acme, globex = floors
    serial = acme["unit"].raw_serial_number
    for person in (globex.manager, globex.technician):
        api = client_for(person)
        assert ("UNIT", acme["unit"].public_id) not in found(api, serial)
        assert ("WOR", acme["work_order"].public_id) not in found(api, "Acme work order")
        assert not [hit for hit in hits(api, "Acme") if "Acme" in hit["label"]]


def test_a_technician_finds_the_unit_they_work_on_by_its_serial(floors):
    acme, _ = floors
    api = client_for(acme.technician)
    assert found(api, acme["unit"].raw_serial_number)[0] == ("UNIT", acme["unit"].public_id)


def test_the_search_can_be_narrowed_and_bad_queries_are_problems(floors):
    acme, _ = floors
    api = client_for(acme.manager)
    only_units = found(api, "Acme", type="UNIT")
    assert only_units and {code for code, _ in only_units} == {"UNIT"}
    assert len(hits(api, "Acme", limit=1)) == 1
    assert api.get("/api/search").json()["data"]["hits"]["hits"] == []
    assert_problem(api.get("/api/search", {"q": ""}), 400, "Bad Request")
    assert_problem(api.get("/api/search", {"q": "x", "type": "NOPE"}), 400, "Bad Request")
    assert_problem(api.get("/api/search", {"q": "x", "limit": 0}), 400, "Bad Request")
    assert_problem(api.get("/api/search", {"q": "x", "sort": "y"}), 400, "Bad Request")
    assert Client().get("/api/search", {"q": "x"}).status_code == 401


def test_the_admin_search_box_lands_on_the_unit(floors):
    acme, _ = floors
    browser = Client()
    browser.force_login(acme.manager)
    serial = acme["unit"].raw_serial_number

    landed = browser.get(reverse("admin:search"), {"q": serial[-6:]})
    listing = browser.get(reverse("admin:search"), {"q": "Acme p"})
    customer = browser.get(reverse("admin:search"), {"q": "acme"})
    home = browser.get(reverse("admin:index"))

    assert landed.status_code == 302
    assert landed["Location"] == reverse("admin:units_unit_change", args=[acme["unit"].pk])
    assert listing.status_code == 200
    assert "Acme program" in listing.text and "Acme project" in listing.text
    assert "Globex" not in listing.text
    # An exact value opens its object, even among fragments.
    assert customer["Location"] == reverse(
        "admin:customers_customer_change", args=[acme["customer"].pk]
    )
    assert 'name="q"' in home.text and reverse("admin:search") in home.text


def test_the_search_asks_a_fixed_number_of_queries_whatever_the_tables_hold(floors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UnitFactory

    acme, _ = floors
    api = client_for(acme.manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            hits(api, "ACME-X")
        return len(captured)

    UnitFactory(part=acme["part"], current_location=acme["site"], raw_serial_number="ACME-X0")
    few = queries()
    for n in range(1, 30):
        UnitFactory(
            part=acme["part"], current_location=acme["site"], raw_serial_number=f"ACME-X{n}"
        )
    assert queries() == few
