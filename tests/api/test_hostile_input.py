"""Hostile and malformed requests: each answers a 4xx problem and changes nothing, never a 500."""

import json

import pytest
from django.core import signing

from batches.models import Batch
from batches.services import batches_create
from customers.models import Customer
from tests.helpers import assert_problem, assert_status, post_json, put_json

pytestmark = pytest.mark.django_db

VALID_CUSTOMER = {
    "label": "Acme",
    "external_platform": {},
    "allowed_statuses": [{"status": "Open", "category": "PENDING"}],
}


def test_a_body_key_of_unicode_digits_is_a_400(api):
    response = post_json(api, "/api/customers", {**VALID_CUSTOMER, "²": 1})

    problem = assert_problem(response, 400, "Bad Request")
    assert [m["dataPath"] for m in problem["validation_messages"]] == [".²"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("offset", ["+20:00", "-14:30", "+99:00"])
def test_a_date_filter_with_an_impossible_offset_is_a_400(api, offset):
    response = api.get("/api/work-orders", {"filter[due_after]": f"2026-01-01T00:00:00{offset}"})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".filter[due_after]"


def test_a_date_filter_at_the_edge_of_offsets_is_accepted(api):
    response = api.get("/api/work-orders", {"filter[due_after]": "2026-01-01T00:00:00+14:00"})

    assert response.status_code == 200


def test_a_body_over_the_documented_size_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**VALID_CUSTOMER, "external_platform": {"padding": "x" * 2000}}

    response = post_json(api, "/api/customers", body)

    problem = assert_problem(response, 413, "Payload too Large")
    assert "1000 bytes" in problem["detail"]
    assert not Customer.objects.exists()


def test_json_nested_too_deep_is_a_400(api):
    body = '{"label": "Acme", "external_platform": ' + "[" * 1000 + "]" * 1000 + "}"

    response = api.post("/api/customers", body, content_type="application/json")

    problem = assert_problem(response, 400, "Bad Request")
    assert "nested deeper than 32" in problem["validation_messages"][0]["message"]
    assert not Customer.objects.exists()


def test_an_integer_beyond_the_column_is_a_400_at_its_field(api, work_order, queue):
    batch = batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=3)[0]
    body = {
        "label": "Too far",
        "order": 2**40,
        "number_cycles": 3,
        "queue": {"queue_id": queue.public_id},
        "work_order": {"work_order_id": work_order.public_id},
    }

    response = put_json(api, f"/api/batches/{batch.public_id}", body)

    problem = assert_problem(response, 400, "Bad Request")
    failure = problem["validation_messages"][0]
    assert failure["dataPath"] == ".order" and failure["keyword"] == "maximum"
    assert failure["params"]["limit"] == 2**31 - 1
    assert Batch.objects.get().order == batch.order


@pytest.mark.parametrize("payload", [[None], ["not-a-number"], [{"id": 1}], [1, 2, 3]])
def test_a_signed_cursor_of_the_wrong_shape_is_a_400(api, payload):
    cursor = signing.dumps(payload, salt="niagara.cursor:customers:id", compress=True)

    response = api.get("/api/customers", {"offset": cursor})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".offset"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/customers/"),
        ("delete", "/api/customers/%C3%A9"),
        ("put", "/api/no-such-thing"),
        ("get", "/api/customers%0A"),
        ("patch", "/api/customers/x/y/z%0A"),
    ],
)
def test_any_unmatched_api_path_is_a_json_404_for_every_method(client, superuser, method, path):
    # A signed-in admin session, CSRF enforced: the API's 404 still answers, as JSON.
    from rest_framework.test import APIClient

    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(superuser)

    send = getattr(csrf_client, method)
    if method == "get":
        response = send(path)
    else:
        response = send(path, json.dumps({}), content_type="application/json")

    assert_problem(response, 404, "Not Found")


def test_a_body_date_with_an_impossible_offset_is_a_400(api, work_order):
    response = put_json(
        api,
        f"/api/work-orders/{work_order.public_id}",
        {
            "label": work_order.label,
            "project": {"project_id": work_order.project.public_id},
            "begin_date": "2026-01-01T00:00:00+20:00",
            "due_date": "2026-03-01T00:00:00Z",
        },
    )

    problem = assert_problem(response, 400, "Bad Request")
    paths = [m["dataPath"] for m in problem["validation_messages"]]
    assert ".begin_date" in paths


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/work-orders?filter[statu]=PENDING", "filter[statu]"),
        ("/api/customers?page=2", "page"),
        ("/api/customers?limit=5&sort=label", "sort"),
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_it(api, url, name):
    problem = assert_problem(api.get(url), 400, "Bad Request")

    failure = problem["validation_messages"][0]
    assert failure["dataPath"] == f".{name}" and failure["keyword"] == "additionalProperties"
    assert name in problem["detail"]


def test_a_query_parameter_on_a_single_resource_is_a_400(api, work_order):
    response = api.get(f"/api/work-orders/{work_order.public_id}?limit=5")

    problem = assert_problem(response, 400, "Bad Request")
    assert "(this endpoint reads: include)" in problem["detail"]


@pytest.mark.parametrize("url", ["/api/work-orders?filter[category]=", "/api/customers?limit="])
def test_an_empty_query_value_is_a_400(api, url):
    problem = assert_problem(api.get(url), 400, "Bad Request")

    assert problem["validation_messages"][0]["keyword"] == "minLength"


def test_a_bad_enum_filter_value_lists_the_allowed_values(api):
    response = api.get("/api/work-orders?filter[category]=DONE")

    problem = assert_problem(response, 400, "Bad Request")
    failure = problem["validation_messages"][0]
    assert failure["keyword"] == "enum" and failure["dataPath"] == ".filter[category]"
    assert failure["params"]["allowedValues"] == [
        "PENDING",
        "IN_PROGRESS",
        "VERIFYING",
        "BLOCKED",
        "COMPLETE",
        "CANCELLED",
    ]


def test_a_huge_whole_number_is_answered_not_a_500(api):
    from tests.factories import LocationFactory

    location = LocationFactory()
    body = {"label": "Far", "priority": 9.03e66, "location": {"location_id": location.public_id}}

    response = post_json(api, "/api/queues", body)

    assert_status(response, 200)
    assert response.json()["priority"] == 9.03e66


def test_a_whole_float_is_an_integer_as_json_schema_says(api, work_order, queue):
    body = {
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": 3.0,
    }

    response = post_json(api, "/api/batches", body)

    assert_status(response, 200)
    assert response.json()["number_cycles"] == 3


@pytest.mark.parametrize(
    "external_platform",
    [{"note": "a\u0000b"}, {"k\u0000": 1}, {"deep": [{"x": ["\u0000"]}]}],
)
def test_a_nul_character_in_a_stored_document_is_a_400(api, external_platform):
    response = post_json(
        api, "/api/customers", {**VALID_CUSTOMER, "external_platform": external_platform}
    )

    problem = assert_problem(response, 400, "Bad Request")
    assert "control characters (found \\u0000)" in problem["validation_messages"][0]["message"]
    assert not Customer.objects.exists()


def test_an_integer_beyond_64_bits_in_a_retried_body_is_answered(api):
    # Read-only keys are accepted and ignored; the body is still fingerprinted for the retry.
    body = {**VALID_CUSTOMER, "external_platform": {"erp": "x"}, "created": 2**70}

    first = api.post("/api/customers", body, format="json", headers={"Idempotency-Key": "big"})
    retry = api.post("/api/customers", body, format="json", headers={"Idempotency-Key": "big"})

    assert_status(first, 200)
    assert retry.content == first.content and retry["Idempotent-Replayed"] == "true"


DEEP_WITH_NUL = {"a": {"b": [{"c": {"d": ["x\u0000", {"\u0000": 1}]}}]}}


def test_read_only_keys_are_ignored_whatever_they_hold(api):
    body = {**VALID_CUSTOMER, "_links": DEEP_WITH_NUL, "created": DEEP_WITH_NUL}

    response = post_json(api, "/api/customers", body)

    assert_status(response, 200)
    assert response.json()["_links"]["self"]["href"].endswith(response.json()["customer_id"])
    assert Customer.objects.get().label == "Acme"


def test_a_reference_s_other_keys_are_ignored_whatever_they_hold(api):
    customer = post_json(api, "/api/customers", VALID_CUSTOMER).json()
    reference = {"customer_id": customer["customer_id"], "extra\u0000": DEEP_WITH_NUL}

    response = post_json(api, "/api/programs", {"label": "P", "customer": reference})

    assert_status(response, 200)
    assert Customer.objects.get().programs.get().label == "P"


@pytest.mark.parametrize(
    ("body", "data_path"),
    [
        ({"label": "Ac\u0000me"}, ".label"),
        ({"external_platform": {"deep": [{"x": ["\u0000"]}]}}, ".external_platform"),
    ],
)
def test_a_nul_character_in_what_is_stored_is_a_400_at_its_field(api, body, data_path):
    response = post_json(api, "/api/customers", {**VALID_CUSTOMER, **body})

    problem = assert_problem(response, 400, "Bad Request")
    [message] = problem["validation_messages"]
    assert (message["dataPath"], message["keyword"]) == (data_path, "pattern")
    assert not Customer.objects.exists()


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x9b"])
def test_a_control_character_in_text_is_a_400_at_its_field(api, character):
    # An escape sequence pasted from a terminal, a bell, DEL, a C1 control: never meant in a
    # label, and the published pattern says so.
    body = {**VALID_CUSTOMER, "label": f"Ac{character}me", "external_platform": {"x": character}}

    response = post_json(api, "/api/customers", body)

    problem = assert_problem(response, 400, "Bad Request")
    found = {(m["dataPath"], m["keyword"]) for m in problem["validation_messages"]}
    assert found == {(".label", "pattern"), (".external_platform", "pattern")}
    messages = {m["dataPath"]: m["message"] for m in problem["validation_messages"]}
    assert f"(found \\u{ord(character):04x})" in messages[".external_platform"]
    assert not Customer.objects.exists()


def test_tabs_and_line_breaks_are_text(api):
    body = {**VALID_CUSTOMER, "external_platform": {"note": "a\tb\r\nc\n"}}

    response = post_json(api, "/api/customers", body)

    assert_status(response, 200)
    assert Customer.objects.get().external_platform == {"note": "a\tb\r\nc\n"}


@pytest.mark.parametrize(
    "moment", ["2026-01-01T00:00:00", "2026-01-01", "2026-01-01 10:00", "1767225600"]
)
def test_a_body_date_time_needs_its_offset_as_rfc_3339_says(api, work_order, moment):
    before = work_order.begin_date
    response = put_json(
        api,
        f"/api/work-orders/{work_order.public_id}",
        {
            "label": work_order.label,
            "project": {"project_id": work_order.project.public_id},
            "begin_date": moment,
            "due_date": "2026-03-01T00:00:00Z",
        },
    )

    problem = assert_problem(response, 400, "Bad Request")
    assert ".begin_date" in [m["dataPath"] for m in problem["validation_messages"]]
    work_order.refresh_from_db()
    assert work_order.begin_date == before


def test_a_hal_client_may_send_what_it_reads_as_hal_json(api):
    body = json.dumps(VALID_CUSTOMER)

    created = api.post("/api/customers", body, content_type="application/hal+json")
    refused = api.post("/api/customers", "{", content_type="application/hal+json")

    assert_status(created, 200)
    assert Customer.objects.get().label == "Acme"
    assert_problem(refused, 400, "Bad Request")
