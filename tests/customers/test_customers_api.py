import jsonschema
import pytest

from customers.models import Customer
from tests.factories import CustomerFactory
from tests.helpers import assert_status, post_json

from .seed_bodies import SEED_BODY, body

pytestmark = pytest.mark.django_db

SEED_CUSTOMER_SCHEMA = {
    "type": "object",
    "required": [
        "updated",
        "label",
        "created",
        "allowed_statuses",
        "customer_id",
        "external_platform",
        "total_programs",
        "total_projects",
    ],
    "properties": {
        "customer_id": {"type": "string", "pattern": "^[0-9a-zA-Z-_]+$"},
        "label": {"type": "string"},
        "created": {"type": "string", "format": "date-time"},
        "updated": {"type": "string", "format": "date-time"},
        "external_platform": {"type": "object"},
        "allowed_statuses": {
            "type": "array",
            "uniqueItems": True,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["status", "category"],
                "properties": {
                    "status": {"type": "string", "pattern": "^[A-Za-z][0-9a-zA-Z-_ ]+$"},
                    "category": {
                        "type": "string",
                        "enum": [
                            "PENDING",
                            "IN_PROGRESS",
                            "VERIFYING",
                            "COMPLETE",
                            "CANCELLED",
                            "BLOCKED",
                        ],
                    },
                    "description": {"type": ["string", "null"]},
                    "order": {"type": "number"},
                },
            },
        },
        "total_programs": {"type": "number"},
        "total_projects": {"type": "number"},
    },
}


def test_create_with_the_seed_example_returns_the_documented_shape(api):
    response = post_json(api, "/api/customers", SEED_BODY)

    assert_status(response, 200)
    assert response["Content-Type"] == "application/hal+json"
    data = response.json()
    jsonschema.validate(data, SEED_CUSTOMER_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["label"] == "Niagara Customer"
    assert data["allowed_statuses"] == SEED_BODY["allowed_statuses"]
    assert data["external_platform"] == {}
    assert (data["total_programs"], data["total_projects"]) == (0, 0)
    customer_id = data["customer_id"]
    assert data["_links"]["self"]["href"] == f"http://testserver/api/customers/{customer_id}"
    assert data["_links"]["nter:customer-contacts"]["href"].endswith(
        f"/api/customers/{customer_id}/contacts"
    )
    assert Customer.objects.get(public_id=customer_id).label == "Niagara Customer"


def test_fetch_returns_the_customer(api):
    customer = CustomerFactory(external_platform={"salesforce": "0015g", "netsuite": None})

    response = api.get(f"/api/customers/{customer.public_id}")

    assert_status(response, 200)
    assert response.json()["external_platform"] == {"salesforce": "0015g", "netsuite": None}
    assert response.json()["customer_id"] == customer.public_id


def test_fetch_unknown_customer_is_a_404_problem(api):
    response = api.get("/api/customers/foo")

    assert_status(response, 404)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "title": "Not Found",
        "type": "https://docs.nterprise.com/api/problem/NotFound",
        "status": 404,
        "detail": 'A Resource with the id "foo" was not found',
    }


def test_omitted_description_and_order_are_filled_in(api):
    statuses = [
        {"status": "Queued", "category": "PENDING"},
        {"status": "Done", "category": "COMPLETE"},
    ]

    data = post_json(api, "/api/customers", body(allowed_statuses=statuses)).json()

    assert data["allowed_statuses"] == [
        {"status": "Queued", "category": "PENDING", "description": None, "order": 1},
        {"status": "Done", "category": "COMPLETE", "description": None, "order": 2},
    ]


def test_external_platform_defaults_to_an_empty_object(api):
    data = body()
    del data["external_platform"]

    assert post_json(api, "/api/customers", data).json()["external_platform"] == {}


@pytest.mark.parametrize(
    ("payload", "keyword", "data_path", "params"),
    [
        ({"label": 42}, "type", ".label", {"type": "string"}),
        ({"label": None}, "type", ".label", {"type": "string"}),
        ({"label": ""}, "minLength", ".label", {"limit": 1}),
        ({"label": "x" * 201}, "maxLength", ".label", {"limit": 200}),
        ({"allowed_statuses": []}, "minItems", ".allowed_statuses", {"limit": 1}),
        ({"allowed_statuses": "Pending"}, "type", ".allowed_statuses", {"type": "array"}),
        (
            {"allowed_statuses": [{"status": "Pending", "category": "DONE"}]},
            "enum",
            ".allowed_statuses[0].category",
            {
                "allowedValues": [
                    "PENDING",
                    "IN_PROGRESS",
                    "VERIFYING",
                    "BLOCKED",
                    "COMPLETE",
                    "CANCELLED",
                ]
            },
        ),
        (
            {"allowed_statuses": [{"status": 7, "category": "PENDING"}]},
            "type",
            ".allowed_statuses[0].status",
            {"type": "string"},
        ),
        (
            {"allowed_statuses": [{"status": "1st", "category": "PENDING"}]},
            "pattern",
            ".allowed_statuses[0].status",
            {"pattern": "^[A-Za-z][0-9a-zA-Z-_ ]+$"},
        ),
        (
            {"allowed_statuses": [{"category": "PENDING"}]},
            "required",
            ".allowed_statuses[0].status",
            {"missingProperty": "status"},
        ),
        (
            {"allowed_statuses": [{"status": "Pending", "category": "PENDING", "colour": "red"}]},
            "additionalProperties",
            ".allowed_statuses[0].colour",
            {"additionalProperty": "colour"},
        ),
        (
            {"allowed_statuses": [{"status": "Pending", "category": "PENDING", "order": "1"}]},
            "type",
            ".allowed_statuses[0].order",
            {"type": "number"},
        ),
        (
            {"allowed_statuses": [{"status": "Pending", "category": "PENDING", "description": 5}]},
            "type",
            ".allowed_statuses[0].description",
            {"type": "string,null"},
        ),
        (
            {
                "allowed_statuses": [
                    {"status": "Pending", "category": "PENDING"},
                    {"status": "pending", "category": "BLOCKED"},
                ]
            },
            "uniqueItems",
            ".allowed_statuses[1].status",
            {"i": 0, "j": 1},
        ),
        ({"external_platform": []}, "type", ".external_platform", {"type": "object"}),
        (
            {"external_platform": {"salesforce": 12}},
            "type",
            ".external_platform.salesforce",
            {"type": "string,null"},
        ),
        (
            {"external_platform": {"9lives": "x"}},
            "pattern",
            ".external_platform",
            {"propertyName": "9lives", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
        ),
        (
            {"customer_name": "x"},
            "additionalProperties",
            ".customer_name",
            {"additionalProperty": "customer_name"},
        ),
    ],
)
def test_invalid_body_is_a_400_problem_and_stores_nothing(api, payload, keyword, data_path, params):
    response = post_json(api, "/api/customers", body(**payload))

    assert_status(response, 400)
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Bad Request"
    assert problem["type"] == "https://docs.nterprise.com/api/problem/BadRequest"
    assert problem["detail"] == "Invalid Data"
    [message] = [m for m in problem["validation_messages"] if m["dataPath"] == data_path]
    assert message["keyword"] == keyword
    assert message["params"] == params
    assert message["message"]
    assert message["schemaPath"].startswith("#/")
    assert not Customer.objects.exists()


def test_missing_required_fields_are_each_reported(api):
    response = post_json(api, "/api/customers", {})

    assert_status(response, 400)
    messages = response.json()["validation_messages"]
    assert {(m["keyword"], m["dataPath"]) for m in messages} == {
        ("required", ".label"),
        ("required", ".allowed_statuses"),
    }
    assert {m["message"] for m in messages} == {
        "should have required property 'label'",
        "should have required property 'allowed_statuses'",
    }


def test_wrong_type_message_matches_the_docs(api):
    response = post_json(api, "/api/customers", body(label=5))

    [message] = response.json()["validation_messages"]
    assert message == {
        "keyword": "type",
        "dataPath": ".label",
        "schemaPath": "#/properties/label",
        "params": {"type": "string"},
        "message": "should be string",
    }


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "{not json"])
def test_a_body_that_is_not_an_object_is_rejected(api, payload):
    response = api.post("/api/customers", payload, content_type="application/json")

    assert_status(response, 400)
    assert response.json()["validation_messages"]
    assert not Customer.objects.exists()


def test_list_pages_with_the_documented_envelope(api):
    customers = [CustomerFactory() for _ in range(3)]

    response = api.get("/api/customers?limit=2")

    assert_status(response, 200)
    page = response.json()
    assert page["total_count"] == 3
    assert page["limit"] == 2
    assert page["offset"]
    assert [c["customer_id"] for c in page["_embedded"]["nter:customers"]] == [
        c.public_id for c in customers[:2]
    ]
    assert page["_links"]["self"]["href"] == "http://testserver/api/customers?limit=2"
    assert "offset=" in page["_links"]["next"]["href"]

    last = api.get(page["_links"]["next"]["href"]).json()
    assert [c["customer_id"] for c in last["_embedded"]["nter:customers"]] == [
        customers[2].public_id
    ]
    assert last["offset"] is None
    assert "next" not in last["_links"]
