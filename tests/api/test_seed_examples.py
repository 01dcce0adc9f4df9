"""The request bodies the Niagara docs print (seeds 000 to 002: every documented write) are
accepted as printed, once the ids in them name entities that exist — the whole fetched
representation included, as the docs show it: ids, counters, ``_links`` and all.

The examples are copied from the seed pages into ``seed_examples/`` (the app never reads the
seeds); ``source`` names each one's page and line."""

import copy
import json
from pathlib import Path

import pytest

from tests.contract.shop import ID_NAMES, build
from tests.factories import UserFactory, make_work_order
from tests.helpers import client_for

EXAMPLES = sorted((Path(__file__).parent / "seed_examples").glob("*.json"))


def _with_existing_ids(node, shop, *, top: bool):
    """Every reference's id replaced with the shop's entity of that kind (the example's own id
    at the top is left: it is read-only, ignored)."""
    if isinstance(node, list):
        return [_with_existing_ids(item, shop, top=False) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        kind = ID_NAMES.get(key)
        if isinstance(value, str) and kind in shop["ids"] and not top:
            out[key] = shop["ids"][kind]
        else:
            out[key] = _with_existing_ids(value, shop, top=False)
    entity = out.get("entity")
    if isinstance(entity, dict) and entity.get("entity_type") in shop["by_code"]:
        entity["entity_id"] = shop["others"].get(entity["entity_type"], entity["entity_id"])
    return out


def _with_existing_status(status, customer) -> None:
    """A status the example names is one its customer allows: configuration that must exist,
    as ids must (the docs' batch is "Reticulating Splines", which no example customer has)."""
    if not isinstance(status, dict) or any(
        allowed["status"] == status["status"] for allowed in customer.allowed_statuses
    ):
        return
    order = len(customer.allowed_statuses) + 1
    customer.allowed_statuses = [*customer.allowed_statuses, {**status, "order": order}]
    customer.save()


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_the_docs_request_example_is_accepted_as_printed(db, example):
    printed = json.loads(example.read_text())
    shop = build()
    api = client_for(UserFactory(is_superuser=True))
    if printed["method"] == "PUT" and "{work_order_id}" in printed["path"]:
        # The example replaces a work order needing 1 cycle: one with none placed yet (the
        # shop's has 3 placed, which a replacement may not go below: 409).
        objects = shop["objects"]
        fresh = make_work_order(project=objects["project"], cycles=[(1, objects["workflow"])])
        shop["ids"]["work_order"] = fresh.public_id
    path = "/api" + printed["path"]
    for name in ID_NAMES:
        path = path.replace("{" + name + "}", shop["ids"].get(ID_NAMES[name], name))
    body = _with_existing_ids(copy.deepcopy(printed["body"]), shop, top=True)
    _with_existing_status(body.get("current_status"), shop["objects"]["customer"])

    response = api.generic(
        printed["method"], path, json.dumps(body), content_type="application/json"
    )

    assert response.status_code in (200, 201, 204), (
        printed["source"],
        response.json().get("detail"),
        [
            (e["dataPath"], e["keyword"], e["message"])
            for e in response.json().get("validation_messages", [])
        ],
    )
    answered = response.json() if response.content else {}
    for key in ("label", "relation"):
        if key in answered and printed["path"] != "/batches":
            assert answered[key] == body[key], key  # what was sent is what is stored


def test_a_recorded_creator_is_once_and_a_person(db):
    shop = build()
    api = client_for(UserFactory(is_superuser=True))
    url = f"/api/work-orders/{shop['ids']['work_order']}/relations"
    person = {"entity_type": "USER", "entity_id": shop["ids"]["user"]}

    from relations.models import Relation

    first = api.post(url, {"relation": "created", "entity": person}, format="json")
    stored = Relation.objects.count()
    again = api.post(url, {"relation": "created", "entity": person}, format="json")
    not_a_person = api.post(
        url,
        {
            "relation": "created",
            "entity": {"entity_type": "QUE", "entity_id": shop["ids"]["queue"]},
        },
        format="json",
    )

    assert first.status_code == 201 and first.json()["direction"] == "INWARD"
    assert again.status_code == 409
    assert not_a_person.status_code == 400
    assert not_a_person.json()["validation_messages"][0]["dataPath"] == ".entity.entity_type"
    assert Relation.objects.count() == stored  # neither the second nor the queue was stored
    # Whatever Niagara made itself has its creator already.
    made = api.post(
        "/api/queues",
        {"label": "Made here", "priority": 1, "location": {"location_id": shop["ids"]["location"]}},
        format="json",
    )
    assert made.status_code in (200, 201), made.content
    mine = f"/api/queues/{made.json()['queue_id']}/relations"
    assert (
        api.post(mine, {"relation": "created", "entity": person}, format="json").status_code == 409
    )


def _schema_examples():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media_type, body in content.items():
                for name, example in body.get("examples", {}).items():
                    yield pytest.param(
                        method, path, media_type, example["value"], id=f"{method} {path} {name}"
                    )


@pytest.mark.parametrize(("method", "path", "media_type", "value"), list(_schema_examples()))
def test_the_schemas_own_examples_work_when_sent(db, method, path, media_type, value):
    """Swagger UI's "try it out" starts from these: sent as they are, they are accepted."""
    api = client_for(UserFactory(is_superuser=True))

    response = api.generic(method.upper(), path, json.dumps(value), content_type=media_type)

    assert response.status_code in (200, 201), response.content[:500]
    assert response.json()["label"] == value["label"]


def test_the_creates_that_need_nothing_else_carry_an_example(db):
    offered = {param.values[1] for param in _schema_examples()}
    assert {"/api/customers", "/api/locations", "/api/manufacturers", "/api/work-flows"} <= offered
