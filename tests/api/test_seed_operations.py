"""Every operation of the seed pages (000 Customers, 001 Work Orders, 002 Batches), driven as the
docs show it: the documented request, the documented success status, and a response that
validates against the seeds' own schemas (restated in ``seed_schema`` modules).

Twenty-four operations, in the order an integrator meets them. Two documented differences:
``start_date``/``end_date`` are null until work starts and ends, and a work order created
without ``begin_date``/``due_date`` (optional in the seed's request) answers them as null."""

import copy
import json

import jsonschema
import pytest

from tests.batches.seed_schema import BATCH
from tests.customers.seed_bodies import SEED_BODY
from tests.factories import QueueFactory, UserFactory, make_workflow
from tests.helpers import as_listed, assert_status
from tests.workorders.seed_schema import CUSTOMER, NULLABLE_DATE, WORK_ORDER

pytestmark = pytest.mark.django_db

LINK = {"type": "object", "properties": {"href": {"type": "string", "format": "uri"}}}
RELATION = {
    "type": "object",
    "required": ["relation_id", "relation", "label", "direction", "created", "updated", "_links"],
    "properties": {
        "relation_id": {"type": "string"},
        "relation": {"type": "string"},
        "label": {"type": "string"},
        "direction": {"enum": ["INWARD", "OUTWARD"]},
        "entity": {
            "type": "object",
            "required": ["entity_id", "entity_type", "label", "created", "updated"],
        },
        "_links": {"type": "object", "required": ["self"], "additionalProperties": LINK},
    },
}
# A work order created without dates: the seed's request makes them optional.
UNDATED_WORK_ORDER = copy.deepcopy(WORK_ORDER)
UNDATED_WORK_ORDER["properties"].update(begin_date=NULLABLE_DATE, due_date=NULLABLE_DATE)
# The embedded single objects the docs show, each a one-item array.
WORK_ORDER_EMBEDDED = ["project", "location", "program", "customer"]
BATCH_EMBEDDED = ["queue", "work-order", "customer", "program", "project", "location"]


def page_of(collection: str, item_schema: dict) -> dict:
    return {
        "type": "object",
        "required": ["total_count", "limit", "offset", "_embedded", "_links"],
        "properties": {
            "total_count": {"type": "number"},
            "limit": {"type": "number"},
            "offset": {"type": ["string", "null"]},
            "_embedded": {
                "type": "object",
                "required": [f"nter:{collection}"],
                "properties": {
                    f"nter:{collection}": {"type": "array", "items": as_listed(item_schema)}
                },
            },
            "_links": {"type": "object", "required": ["self"]},
        },
    }


def valid(response, status: int, schema: dict | None = None) -> dict:
    assert_status(response, status)
    if schema is None:
        return {}
    body = response.json()
    jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
    return body


def test_every_seed_operation_works_as_documented(api):
    tech = UserFactory(first_name="Bob", last_name="Alice")
    queue = QueueFactory()
    workflow = make_workflow()

    # 000 Customers
    customer = valid(api.post("/api/customers", SEED_BODY, format="json"), 200, CUSTOMER)
    url = f"/api/customers/{customer['customer_id']}"
    valid(api.get("/api/customers"), 200, page_of("customers", CUSTOMER))
    valid(api.get(url), 200, CUSTOMER)
    renamed = {**SEED_BODY, "label": "Niagara Customer (renamed)"}
    assert valid(api.put(url, renamed, format="json"), 200, CUSTOMER)["label"] == renamed["label"]
    contact = {"label": "Buyer", "name": "Bea Buyer", "email": "bea@example.com", "phone": "555"}
    valid(api.post(f"{url}/contacts", contact, format="json"), 200)
    contacts = valid(api.get(f"{url}/contacts"), 200, page_of("contacts", {"type": "object"}))
    assert [c["email"] for c in contacts["_embedded"]["nter:contacts"]] == ["bea@example.com"]
    program = api.post(
        "/api/programs",
        {"label": "North-east", "customer": {"customer_id": customer["customer_id"]}},
        format="json",
    ).json()
    programs = valid(api.get(f"{url}/programs"), 200, page_of("programs", {"type": "object"}))
    assert programs["total_count"] == 1
    project = api.post(
        "/api/projects",
        {"label": "New York Stores", "program": {"program_id": program["program_id"]}},
        format="json",
    ).json()

    # 001 Work Orders: the seed's minimal body (label and project), then one with dates.
    minimal = {"label": "My workOrder", "project": {"project_id": project["project_id"]}}
    undated = valid(api.post("/api/work-orders", minimal, format="json"), 200, UNDATED_WORK_ORDER)
    assert (undated["begin_date"], undated["due_date"]) == (None, None)
    body = {
        **minimal,
        "description": "Workorder description",
        "work_order_type": "device",
        "begin_date": "2021-08-19T02:01:02.000Z",
        "due_date": "2021-08-19T02:01:02.000Z",
        "cycles": [{"needed": 10, "work_flow": {"work_flow_id": workflow.public_id}}],
    }
    work_order = valid(api.post("/api/work-orders", body, format="json"), 200, WORK_ORDER)
    wo_url = f"/api/work-orders/{work_order['work_order_id']}"
    valid(api.get("/api/work-orders"), 200, page_of("work-orders", UNDATED_WORK_ORDER))
    fetched = valid(api.get(wo_url), 200, WORK_ORDER)
    assert [k.removeprefix("nter:work-order-") for k in fetched["_embedded"]] == (
        WORK_ORDER_EMBEDDED
    )
    assert all(len(fetched["_embedded"][f"nter:work-order-{k}"]) == 1 for k in ("project",))
    replaced = {**body, "label": "My workOrder (replaced)"}
    valid(api.put(wo_url, replaced, format="json"), 200, WORK_ORDER)
    user_ref = {"entity_type": "USER", "entity_id": tech.public_id}
    relation = valid(
        api.post(f"{wo_url}/relations", {"relation": "tech", "entity": user_ref}, format="json"),
        201,
        RELATION,
    )
    relations = valid(
        api.get(f"{wo_url}/relations", {"filter[relation]": "tech"}),
        200,
        page_of("relations", RELATION),
    )
    assert [r["relation_id"] for r in relations["_embedded"]["nter:relations"]] == [
        relation["relation_id"]
    ]
    valid(api.delete(f"{wo_url}/relations/{relation['relation_id']}"), 200, RELATION)

    # 002 Batches
    batch_body = {
        "queue": {"queue_id": queue.public_id},
        "work_order": {"work_order_id": work_order["work_order_id"]},
        "number_cycles": 2,
    }
    batch = valid(api.post("/api/batches", batch_body, format="json"), 200, BATCH)
    batch_url = f"/api/batches/{batch['batch_id']}"
    many = {**batch_body, "total": 2, "users": [{"user_id": tech.public_id}]}
    bulk = api.patch(
        "/api/batches",
        json.dumps(many),
        content_type="application/vnd.nter.multi-batch+json",
        HTTP_ACCEPT_PATCH="application/vnd.nter.multi-batch+json",
    )
    valid(bulk, 204)
    assert "application/vnd.nter.multi-batch+json" in bulk["Accept-Patch"]
    batches = valid(api.get("/api/batches"), 200, page_of("batches", BATCH))
    assert batches["total_count"] == 3
    fetched = valid(api.get(batch_url), 200, BATCH)
    assert [k.removeprefix("nter:batch-") for k in fetched["_embedded"]] == BATCH_EMBEDDED
    relation = valid(
        api.post(f"{batch_url}/relations", {"relation": "tech", "entity": user_ref}, format="json"),
        201,
        RELATION,
    )
    valid(api.get(f"{batch_url}/relations"), 200, page_of("relations", RELATION))
    valid(api.delete(f"{batch_url}/relations/{relation['relation_id']}"), 200, RELATION)
    valid(api.delete(batch_url), 205)

    # Deletes: locked while something depends on them, then gone.
    valid(api.delete(wo_url), 423)
    for item in api.get("/api/batches").json()["_embedded"]["nter:batches"]:
        valid(api.delete(f"/api/batches/{item['batch_id']}"), 205)
    valid(api.delete(wo_url), 205)
    valid(api.delete(url), 423)  # it still has its program
    spare = api.post("/api/customers", {**SEED_BODY, "label": "Spare"}, format="json").json()
    valid(api.delete(f"/api/customers/{spare['customer_id']}"), 205)
