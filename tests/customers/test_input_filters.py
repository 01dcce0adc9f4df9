"""Custom field definitions (``input_filter``), validated against the docs' schemas."""

import pytest

from customers.input_values import apply_filters, failed_validators
from customers.models import Program, Project
from tests.factories import CustomerFactory, ProgramFactory
from tests.helpers import assert_status, post_json, put_json

pytestmark = pytest.mark.django_db

SERIAL = {
    "key": "serial_number",
    "label": "Serial number",
    "filters": [{"type": "trim"}, {"type": "upper", "options": {}}],
    "validators": [
        {"type": "required"},
        {"type": "length", "options": {"length": 12, "operator": "equals"}},
    ],
}


def program_body(customer, fields):
    return {"label": "P", "customer": {"customer_id": customer.public_id}, "input_filter": fields}


def test_definitions_are_stored_with_every_key_present(api):
    response = post_json(api, "/api/programs", program_body(CustomerFactory(), [SERIAL]))

    assert_status(response, 200)
    [field] = response.json()["input_filter"]
    assert field == {
        "key": "serial_number",
        "label": "Serial number",
        "filters": [{"type": "trim", "options": {}}, {"type": "upper", "options": {}}],
        "validators": [
            {"type": "required", "options": {}},
            {"type": "length", "options": {"length": 12, "operator": "equals"}},
        ],
        "locked": False,
        "description": None,
        "value": None,
    }


@pytest.mark.parametrize(
    ("field", "keyword", "data_path"),
    [
        ({"key": "Serial-Number"}, "pattern", ".input_filter[0].key"),
        ({"key": None}, "type", ".input_filter[0].key"),
        ({"label": None}, "type", ".input_filter[0].label"),
        ({"filters": [{"type": "shout"}]}, "enum", ".input_filter[0].filters[0].type"),
        ({"filters": [{"type": "prefix"}]}, "required", ".input_filter[0].filters[0].options"),
        (
            {"filters": [{"type": "prefix", "options": {}}]},
            "required",
            ".input_filter[0].filters[0].options.prefix",
        ),
        (
            {"filters": [{"type": "allowed_list", "options": {"approved_values": []}}]},
            "minItems",
            ".input_filter[0].filters[0].options.approved_values",
        ),
        (
            {"filters": [{"type": "float", "options": {"precision": 9}}]},
            "maximum",
            ".input_filter[0].filters[0].options.precision",
        ),
        (
            {"filters": [{"type": "trim", "options": {"middle": True}}]},
            "additionalProperties",
            ".input_filter[0].filters[0].options.middle",
        ),
        (
            {"validators": [{"type": "between", "options": {"min": 1}}]},
            "required",
            ".input_filter[0].validators[0].options.max",
        ),
        (
            {"validators": [{"type": "length", "options": {"length": 3, "operator": "about"}}]},
            "enum",
            ".input_filter[0].validators[0].options.operator",
        ),
        (
            {"validators": [{"type": "uri", "options": {"schemes": ["gopher:"]}}]},
            "enum",
            ".input_filter[0].validators[0].options.schemes[0]",
        ),
        (
            {"validators": [{"type": "starts_with", "options": {"starts_with": 5}}]},
            "type",
            ".input_filter[0].validators[0].options.starts_with",
        ),
        (
            {"validators": [{"type": "mac_address", "options": {}, "extra": 1}]},
            "additionalProperties",
            ".input_filter[0].validators[0].extra",
        ),
        ({"validators": None}, "type", ".input_filter[0].validators"),
        ({"colour": "red"}, "additionalProperties", ".input_filter[0].colour"),
    ],
)
def test_each_problem_is_reported_at_its_path(api, field, keyword, data_path):
    response = post_json(
        api, "/api/programs", program_body(CustomerFactory(), [{**SERIAL, **field}])
    )

    assert_status(response, 400)
    found = {(m["keyword"], m["dataPath"]) for m in response.json()["validation_messages"]}
    assert (keyword, data_path) in found, found
    assert not Program.objects.exists()


def test_missing_required_parts_are_reported(api):
    response = post_json(api, "/api/programs", program_body(CustomerFactory(), [{"key": "a"}]))

    found = {m["dataPath"] for m in response.json()["validation_messages"]}
    assert {
        ".input_filter[0].label",
        ".input_filter[0].filters",
        ".input_filter[0].validators",
    } <= found


def test_keys_are_unique(api):
    response = post_json(api, "/api/programs", program_body(CustomerFactory(), [SERIAL, SERIAL]))

    assert_status(response, 400)
    [message] = response.json()["validation_messages"]
    assert (message["keyword"], message["dataPath"]) == ("uniqueItems", ".input_filter[1].key")


def test_a_field_locked_by_the_program_may_not_be_redefined_by_a_project(api):
    program = ProgramFactory(input_filter=[{**SERIAL, "locked": True}])
    changed = {**SERIAL, "validators": []}

    response = post_json(
        api,
        "/api/projects",
        {"label": "Q", "program": {"program_id": program.public_id}, "input_filter": [changed]},
    )

    assert_status(response, 400)
    [message] = response.json()["validation_messages"]
    assert (message["keyword"], message["dataPath"]) == ("locked", ".input_filter")
    assert '"serial_number" is locked by the program' in message["message"]
    assert not Project.objects.exists()


def test_a_locked_field_may_be_repeated_unchanged_and_unlocked_ones_redefined(api):
    program = ProgramFactory(
        input_filter=[{**SERIAL, "locked": True}, {**SERIAL, "key": "asset_tag"}]
    )
    fields = [{**SERIAL, "value": "abc123def456"}, {**SERIAL, "key": "asset_tag", "validators": []}]

    response = post_json(
        api,
        "/api/projects",
        {"label": "Q", "program": {"program_id": program.public_id}, "input_filter": fields},
    )

    assert_status(response, 200)


@pytest.mark.parametrize("collection", ["locations", "contacts"])
def test_locations_and_contacts_validate_their_definitions_too(api, collection):
    bodies = {
        "locations": {
            "label": "L",
            "location_type": "facility",
            "address": {
                "country": "USA",
                "administrative_area": "NY",
                "locality": "Menands",
                "postal_code": "12204",
                "thoroughfare": "431 Broadway",
            },
        },
        "contacts": {"label": "Major", "name": "Sam", "email": "sam@example.com"},
    }

    bad = post_json(
        api, f"/api/{collection}", {**bodies[collection], "input_filter": [{**SERIAL, "key": "X"}]}
    )
    good = post_json(api, f"/api/{collection}", {**bodies[collection], "input_filter": [SERIAL]})

    assert_status(bad, 400)
    assert_status(good, 200)
    assert good.json()["input_filter"][0]["key"] == "serial_number"


def test_put_without_input_filter_clears_it(api):
    program = ProgramFactory(input_filter=[SERIAL])

    response = put_json(
        api,
        f"/api/programs/{program.public_id}",
        {"label": "P", "customer": {"customer_id": program.customer.public_id}},
    )

    assert_status(response, 200)
    assert response.json()["input_filter"] == []


def test_values_are_stored_filtered(api):
    field = {**SERIAL, "value": "  abc123def456 "}

    data = post_json(api, "/api/programs", program_body(CustomerFactory(), [field])).json()

    assert data["input_filter"][0]["value"] == "ABC123DEF456"


def test_a_value_failing_its_validators_is_rejected_at_its_path(api):
    field = {**SERIAL, "value": "too short"}

    response = post_json(api, "/api/programs", program_body(CustomerFactory(), [field]))

    assert_status(response, 400)
    [message] = response.json()["validation_messages"]
    assert (message["keyword"], message["dataPath"]) == ("validators", ".input_filter[0].value")
    assert message["params"] == {"failed": ["length"]}
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("filters", "value", "expected"),
    [
        ([{"type": "trim"}, {"type": "lower"}], "  MiXed ", "mixed"),
        ([{"type": "digits"}], "a1-b2 c3", "123"),
        ([{"type": "alpha"}], "a1-b2 c3", "abc"),
        ([{"type": "snake"}], "Serial Number", "serial_number"),
        ([{"type": "kebab"}], "serialNumber", "serial-number"),
        ([{"type": "camel"}], "serial number", "serialNumber"),
        ([{"type": "prefix", "options": {"prefix": "SN-"}}], "SN-1", "SN-1"),
        ([{"type": "suffix", "options": {"suffix": "-X"}}], "1", "1-X"),
        ([{"type": "float", "options": {"precision": 2}}], "3.14159", "3.14"),
        ([{"type": "number"}], "42.50", "42.5"),
        ([{"type": "boolean"}], "Yes", "true"),
        (
            [{"type": "allowed_list", "options": {"approved_values": ["Red", "Blue"]}}],
            "blue",
            "Blue",
        ),
        (
            [{"type": "allowed_list", "options": {"approved_values": ["Red"], "default": "Red"}}],
            "green",
            "Red",
        ),
        ([{"type": "trim"}, {"type": "empty"}], "   ", None),
    ],
)
def test_filters(filters, value, expected):
    assert apply_filters(value, filters) == expected


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        ({"type": "required"}, "x", ""),
        ({"type": "between", "options": {"min": 1, "max": 5}}, "5", "6"),
        ({"type": "between", "options": {"min": 1, "max": 5, "include": False}}, "4", "5"),
        ({"type": "greater_than", "options": {"value": 10}}, "10", "9"),
        ({"type": "less_than", "options": {"value": 10, "include": False}}, "9", "10"),
        ({"type": "equals", "options": {"value": 3}}, "3.0", "4"),
        (
            {"type": "length", "options": {"length": 3, "operator": "less_than_equals"}},
            "abc",
            "abcd",
        ),
        ({"type": "contains", "options": {"contains": "PAD"}}, "ipad air", "iphone"),
        (
            {"type": "starts_with", "options": {"starts_with": "SN", "check_case": True}},
            "SN1",
            "sn1",
        ),
        ({"type": "ends_with", "options": {"ends_with": "x"}}, "boX", "box1"),
        ({"type": "white_list", "options": {"list": ["a", 1]}}, "1", "b"),
        ({"type": "black_list", "options": {"list": ["a"]}}, "b", "A"),
        ({"type": "email_address"}, "s.carter@sg1.com", "not-an-email"),
        ({"type": "hostname"}, "api.example.com", "not a host"),
        ({"type": "ip_address", "options": {"version": "IPv6"}}, "::1", "127.0.0.1"),
        ({"type": "mac_address"}, "a4:83:e7:00:11:22", "a4:83:e7"),
        ({"type": "mask", "options": {"mask": "[A-Z]{2}[0-9]{4}"}}, "AB1234", "AB12"),
        ({"type": "step", "options": {"step": 5, "start": 0, "end": 20}}, "15", "16"),
        (
            {"type": "uri", "options": {"schemes": ["https:"]}},
            "https://example.com",
            "ftp://example.com",
        ),
        ({"type": "never"}, None, "anything"),
    ],
)
def test_validators(validator, good, bad):
    if good is not None:
        assert failed_validators(good, [validator]) == []
    assert failed_validators(bad, [validator]) == [validator["type"]]
