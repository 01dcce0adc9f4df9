"""Locations: xNAL addresses against the real country list, formatted per country."""

import pytest

from queues.models import Location
from tests.factories import LocationFactory
from tests.helpers import assert_status, post_json, put_json

pytestmark = pytest.mark.django_db

SEED_ADDRESS = {
    "country": "USA",
    "administrative_area": "NY",
    "sub_administrative_area": "Albany",
    "locality": "Menands",
    "postal_code": "12204",
    "thoroughfare": "431 Broadway",
    "premise": "Suite c",
    "sub_premise": "ZIC",
}


def body(**changes):
    return {"label": "Test Label", "location_type": "warehouse", "address": SEED_ADDRESS, **changes}


def test_create_location_as_in_the_seed(api):
    response = post_json(api, "/api/locations", body())

    assert_status(response, 200)
    data = response.json()
    assert data["formatted_address"] == "Test Label\n431 Broadway Suite c\nMenands NY 12204 USA"
    assert data["address"] == SEED_ADDRESS
    assert data["location_type"] == "warehouse"
    assert data["input_filter"] == []
    assert data["_links"]["self"]["href"].endswith(f"/api/locations/{data['location_id']}")
    assert_status(api.get(data["_links"]["self"]["href"]), 200)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            {
                "country": "CAN",
                "administrative_area": "ON",
                "locality": "Toronto",
                "postal_code": "M5V 2T6",
                "thoroughfare": "290 Bremner Blvd",
            },
            "L\n290 Bremner Blvd\nToronto ON M5V 2T6 CAN",
        ),
        (
            {
                "country": "GBR",
                "administrative_area": "Greater London",
                "locality": "London",
                "postal_code": "SW1A 1AA",
                "thoroughfare": "10 Downing St",
            },
            "L\n10 Downing St\nLondon\nSW1A 1AA\nGBR",
        ),
        (
            {
                "country": "DEU",
                "administrative_area": "Berlin",
                "locality": "Berlin",
                "postal_code": "10115",
                "thoroughfare": "Invalidenstr. 116",
                "premise": "Haus 2",
            },
            "L\nInvalidenstr. 116 Haus 2\n10115 Berlin\nDEU",
        ),
        (
            {
                "country": "FRA",
                "administrative_area": "IDF",
                "locality": "Paris",
                "postal_code": "75008",
                "thoroughfare": "55 Rue du Faubourg Saint-Honoré",
            },
            "L\n55 Rue du Faubourg Saint-Honoré\n75008 Paris\nFRA",
        ),
        (
            {
                "country": "JPN",
                "administrative_area": "Tokyo",
                "locality": "Chiyoda",
                "postal_code": "100-0001",
                "thoroughfare": "1-1 Chiyoda",
            },
            "L\n1-1 Chiyoda\nChiyoda Tokyo 100-0001\nJPN",
        ),
    ],
)
def test_formatted_address_follows_the_country(api, address, expected):
    data = post_json(api, "/api/locations", body(label="L", address=address)).json()

    assert data["formatted_address"] == expected


@pytest.mark.parametrize(
    ("changes", "keyword", "data_path"),
    [
        ({"address": {**SEED_ADDRESS, "country": "XXX"}}, "enum", ".address.country"),
        ({"address": {**SEED_ADDRESS, "country": "US"}}, "enum", ".address.country"),
        (
            {"address": {**SEED_ADDRESS, "planet": "Earth"}},
            "additionalProperties",
            ".address.planet",
        ),
        (
            {"address": {k: v for k, v in SEED_ADDRESS.items() if k != "locality"}},
            "required",
            ".address.locality",
        ),
        ({"address": {**SEED_ADDRESS, "postal_code": 12204}}, "type", ".address.postal_code"),
        ({"address": "431 Broadway"}, "type", ".address"),
        ({"location_type": "site"}, "enum", ".location_type"),
        ({"label": None}, "type", ".label"),
    ],
)
def test_invalid_locations_are_400_and_store_nothing(api, changes, keyword, data_path):
    response = post_json(api, "/api/locations", body(**changes))

    assert_status(response, 400)
    found = {(m["keyword"], m["dataPath"]) for m in response.json()["validation_messages"]}
    assert (keyword, data_path) in found, found
    assert not Location.objects.exists()


def test_put_replaces_a_location(api):
    location = LocationFactory()

    response = put_json(
        api,
        f"/api/locations/{location.public_id}",
        body(label="Albany DC", location_type="facility"),
    )

    assert_status(response, 200)
    location.refresh_from_db()
    assert (location.label, location.location_type, location.address) == (
        "Albany DC",
        "facility",
        SEED_ADDRESS,
    )


def test_delete_location(api):
    location = LocationFactory()

    assert_status(api.delete(f"/api/locations/{location.public_id}"), 205)
    assert not Location.objects.exists()


def test_facilities_and_warehouses_are_filtered_lists(api):
    facility = LocationFactory(location_type="facility")
    warehouse = LocationFactory(location_type="warehouse")
    LocationFactory(location_type="other")

    facilities = api.get("/api/facilities").json()
    warehouses = api.get("/api/ware-houses").json()
    everything = api.get("/api/locations").json()

    assert [x["location_id"] for x in facilities["_embedded"]["nter:locations"]] == [
        facility.public_id
    ]
    assert [x["location_id"] for x in warehouses["_embedded"]["nter:locations"]] == [
        warehouse.public_id
    ]
    assert everything["total_count"] == 3


def test_locations_have_relations_and_history(api, superuser):
    location_id = post_json(api, "/api/locations", body()).json()["location_id"]

    [created] = api.get(f"/api/locations/{location_id}/relations").json()["_embedded"][
        "nter:relations"
    ]
    assert created["entity"]["entity_id"] == superuser.public_id
    diffs = api.get(f"/api/locations/{location_id}/diff").json()["_embedded"]["nter:diffs"]
    assert {"label", "location_type", "address"} <= {d["property"] for d in diffs}
