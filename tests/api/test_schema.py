"""The OpenAPI schema describes the real API and generates without warnings."""

import io
import json
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from niagara.api.fields import WHITE_SPACE
from niagara.text import CONTROL_CHARACTERS, TEXT_PATTERN
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        # --fail-on-warn turns any generator warning into a failure of this fixture.
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
        )
    return json.loads(out.getvalue())


def test_documented_paths_are_present(schema):
    assert {
        "/api/customers",
        "/api/customers/{customer_id}",
        "/api/customers/{customer_id}/contacts",
        "/api/contacts/{contact_id}",
        "/api/me",
        "/api/users/{user_id}",
    } <= set(schema["paths"])


def test_status_codes_are_the_documented_ones(schema):
    customers = schema["paths"]["/api/customers"]
    customer = schema["paths"]["/api/customers/{customer_id}"]

    assert set(customers["post"]["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "409",
        "413",
        "415",
        "422",
        "429",
        "500",
        "503",
    }
    assert set(customers["get"]["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "429",
        "500",
        "503",
    }
    assert {"200", "304", "404"} <= set(customer["get"]["responses"])
    assert {"200", "400", "404", "409", "412"} <= set(customer["put"]["responses"])
    assert {"205", "404", "412", "423"} <= set(customer["delete"]["responses"])
    assert "ETag" in customer["get"]["responses"]["200"]["headers"]
    assert "If-Match" in {p["name"] for p in customer["put"]["parameters"]}
    assert "If-None-Match" in {p["name"] for p in customer["get"]["parameters"]}
    assert "content" not in customer["delete"]["responses"]["205"]


def test_bodies_are_hal_and_errors_are_problems(schema):
    post = schema["paths"]["/api/customers"]["post"]["responses"]

    assert set(post["200"]["content"]) == {"application/hal+json"}
    assert post["400"]["content"]["application/problem+json"]["schema"]["$ref"].endswith(
        "/ValidationProblem"
    )
    assert post["409"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")


def test_the_page_envelope_and_statuses_are_described(schema):
    components = schema["components"]["schemas"]
    page = components["PaginatedCustomerList"]
    assert page["required"] == ["total_count", "limit", "offset", "_embedded", "_links"]
    assert "nter:customers" in page["properties"]["_embedded"]["properties"]

    statuses = components["Customer"]["properties"]["allowed_statuses"]
    item = statuses["items"]
    assert item["additionalProperties"] is False
    assert item["properties"]["status"]["pattern"] == "^[A-Za-z][0-9a-zA-Z-_ ]+$"
    # Only ``self`` is always there: a link to what the caller may not read is left out.
    links = components["Customer"]["properties"]["_links"]
    assert links["required"] == ["self"]
    assert list(links["properties"]) == [
        "self",
        "nter:customer-programs",
        "nter:customer-projects",
        "nter:customer-work-orders",
        "nter:customer-contacts",
        "nter:customer-parts",
        "nter:customer-units",
        "nter:relations",
        "nter:diff",
    ]


def test_bearer_auth_is_declared_first(schema):
    # Swagger UI's Authorize dialog lists the schemes in this order: the bearer token's one
    # field comes before the OAuth2 flow's scope checkboxes.
    schemes = schema["components"]["securitySchemes"]
    first = next(iter(schemes.values()))
    assert first["type"] == "http" and first["scheme"] == "bearer"


def test_try_it_out_prefills_nothing_that_finds_nothing(schema):
    """Swagger UI sends a parameter's example as the value of "try it out": none is given for a
    filter, whose values depend on the floor."""
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter["name"].startswith("filter["):
                    assert "example" not in parameter and "example" not in parameter["schema"], (
                        path,
                        parameter["name"],
                    )


@pytest.mark.parametrize(
    "url", ["/api/schema/", "/api/schema/?format=json", "/api/docs/", "/api/redoc/"]
)
def test_schema_and_docs_are_served_without_auth_or_cdn(url):
    response = APIClient().get(url)

    assert_status(response, 200)
    body = response.content.decode()
    assert "cdn.jsdelivr" not in body and "unpkg.com" not in body
    assert "fonts.googleapis" not in body and "fonts.gstatic" not in body  # offline shops


# Words of the code's own documentation (viewset docstrings) that an integrator should not read.
DEVELOPER_WORDS = ("``", "perform_", "Declare", "subclass", "serializer", "queryset", "DRF")


def test_operation_descriptions_are_written_for_integrators(schema):
    leaked = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        and any(word in operation.get("description", "") for word in DEVELOPER_WORDS)
    ]

    assert leaked == []


def test_component_descriptions_are_written_for_integrators(schema):
    leaked = [
        name
        for name, component in schema["components"]["schemas"].items()
        if any(word in component.get("description", "") for word in DEVELOPER_WORDS)
    ]

    assert leaked == []


def test_relation_and_diff_endpoints_are_documented_for_every_registered_kind(schema):
    for collection, kind in [("customers", "Customer"), ("contacts", "Contact"), ("users", "User")]:
        id_name = f"{kind.lower()}_id"
        relations = schema["paths"][f"/api/{collection}/{{{id_name}}}/relations"]
        single = schema["paths"][f"/api/{collection}/{{{id_name}}}/relations/{{relation_id}}"]
        diff = schema["paths"][f"/api/{collection}/{{{id_name}}}/diff"]
        assert relations["get"]["operationId"] == f"fetchRelationsFor{kind}"
        assert {"201", "400", "409"} <= set(relations["post"]["responses"])
        assert "200" in single["delete"]["responses"]
        assert diff["get"]["operationId"] == f"fetchDiffFor{kind}"
    parameters = {
        p["name"]
        for p in schema["paths"]["/api/customers/{customer_id}/relations"]["get"]["parameters"]
    }
    assert {"filter[relation]", "filter[direction]", "filter[entity_type]"} <= parameters


def test_hierarchy_endpoints_are_documented(schema):
    expected = {
        "/api/programs": "fetchAllPrograms",
        "/api/projects": "fetchAllProjects",
        "/api/locations": "fetchAllLocations",
        "/api/facilities": "fetchAllFacilities",
        "/api/ware-houses": "fetchAllWarehouses",
        "/api/contacts": "fetchAllContacts",
        "/api/customers/{customer_id}/programs": "fetchAllCustomerPrograms",
        "/api/customers/{customer_id}/projects": "fetchAllCustomerProjects",
        "/api/programs/{program_id}/projects": "fetchAllProgramProjects",
    }
    for path, operation_id in expected.items():
        assert schema["paths"][path]["get"]["operationId"] == operation_id
    components = schema["components"]["schemas"]
    program_request = components["ProgramRequest"]["properties"]["customer"]
    assert program_request["required"] == ["customer_id"]
    customer = components["Program"]["properties"]["customer"]
    assert customer["anyOf"][0]["$ref"].endswith("/EmbeddedCustomer")
    assert customer["anyOf"][1]["required"] == ["customer_id", "_links"]  # a list item's summary
    assert {"type": "null"} in customer["anyOf"]  # a parent the caller may not read
    assert (
        components["Location"]["properties"]["address"]["properties"]["country"]["enum"][0] == "ABW"
    )


def test_work_order_endpoints_are_documented(schema):
    work_orders = schema["paths"]["/api/work-orders"]
    assert work_orders["get"]["operationId"] == "fetchAllWorkOrders"
    names = {p["name"] for p in work_orders["get"]["parameters"]}
    assert {
        "filter[category]",
        "filter[customer]",
        "filter[project]",
        "filter[due_before]",
    } <= names
    assert "ordering" in names
    for path in (
        "/api/customers/{customer_id}/work-orders",
        "/api/programs/{program_id}/work-orders",
        "/api/projects/{project_id}/work-orders",
        "/api/work-flows/{workflow_id}",
        "/api/work-orders/{work_order_id}/relations",
        "/api/work-flows/{workflow_id}/diff",
    ):
        assert path in schema["paths"]
    cycle_request = schema["components"]["schemas"]["WorkOrderLineRequest"]["properties"][
        "work_flow"
    ]
    assert len(cycle_request["anyOf"]) == 3, "work_flow_id or entity_id reference, or a definition"


def test_floor_endpoints_are_documented(schema):
    batches = schema["paths"]["/api/batches"]
    assert batches["patch"]["operationId"] == "createMultipleBatches"
    assert "204" in batches["patch"]["responses"]
    assert {"200", "409"} <= set(batches["post"]["responses"])
    for path in (
        "/api/queues",
        "/api/queues/{queue_id}/batches",
        "/api/locations/{location_id}/queues",
        "/api/work-orders/{work_order_id}/queues",
        "/api/work-orders/{work_order_id}/cycles",
        "/api/batches/{batch_id}/cycles",
        "/api/batches/{batch_id}/techs",
        "/api/batches/{batch_id}/techs/{tech_id}",
        "/api/cycles/{cycle_id}",
        "/api/batches/{batch_id}/relations",
        "/api/queues/{queue_id}/diff",
    ):
        assert path in schema["paths"], path
    assert "205" in schema["paths"]["/api/batches/{batch_id}"]["delete"]["responses"]


def _step_variants():
    """Steps of every type, each rule kept and broken, each way of naming the type."""
    satisfied = {
        "function": {"options": {"function": "set-entity-status", "payload": {}}},
        "user": {"options": {"component": "task-list", "payload": {}}},
        "machine": {"options": {"application": {}, "configuration": {}}},
        "choice": {"decision": [{"variable": "v", "operator": "equals", "operand": "1"}]},
        "wait": {"time": 60},
    }
    broken = {
        "function": {"options": {"function": "reboot", "payload": {}}},
        "user": {"options": {"component": "task-list"}},
        "machine": {"options": {"application": {}}},
        "choice": {},
        "wait": {},
    }
    from workorders.workflows import STEP_TYPES

    for name in STEP_TYPES:
        for extras in ({}, satisfied.get(name, {}), broken.get(name, {})):
            for naming in (
                {"type": name},
                {"step_type": name},
                {"type": name, "step_type": name},
                {"type": name, "step_type": "pass" if name != "pass" else "load"},
                {},
            ):
                for goto in ({}, {"goto": "done"}):
                    yield {"label": "A step", **naming, **extras, **goto}


def test_the_published_steps_schema_agrees_with_the_server(schema):
    # The OpenAPI schema writes the step rules as a union of types (generators cannot read
    # if/then); every step the server accepts, it accepts, and every step refused, it refuses.
    from jsonschema import Draft7Validator

    from workorders.workflows import STEPS

    published = schema["components"]["schemas"]["WorkFlowRequest"]["properties"]["steps"]
    validator = Draft7Validator({**published, "components": schema["components"]})
    verdicts = []
    for step in _step_variants():
        steps = {"the-step": step, "done": {"type": "success", "label": "Done"}}
        server_accepts = not STEPS.errors(steps)
        verdicts.append(server_accepts)
        assert validator.is_valid(steps) == server_accepts, step
    assert any(verdicts) and not all(verdicts)


def _string_patterns(node):
    if isinstance(node, dict):
        kinds = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
        if "string" in kinds and "pattern" in node and "format" not in node:
            yield node["pattern"]
        for value in node.values():
            yield from _string_patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _string_patterns(item)


SHAPED_TEXTS = ["AB", "https://ab.example/x", "ab", "ab_cd", "ab-cd", "Open 1"]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x14", "\x1b", "\x7f", "\x88"])
def test_no_published_text_pattern_admits_a_control_character(schema, character):
    # The server refuses control characters anywhere in a body (tab, line feed and carriage
    # return aside); a pattern that admits one (``\S`` matches NUL) would tell generators a
    # refused body is valid.
    requests = {k: v for k, v in schema["components"]["schemas"].items() if k.endswith("Request")}
    patterns = set(_string_patterns(requests))

    control = CONTROL_CHARACTERS
    assert rf"^[^{control}]*[^{control}{WHITE_SPACE}][^{control}]*$" in patterns
    admitting = [
        p for p in patterns if re.search(p, f"A{character}B") or re.search(p, f"{character}B")
    ]
    assert admitting == []
    # Patterns of a shape (URLs, keys): a text they accept, with the character slipped in.
    for pattern in patterns:
        accepted = next((text for text in SHAPED_TEXTS if re.search(pattern, text)), None)
        if accepted is not None:
            slipped = f"{accepted[:-1]}{character}{accepted[-1]}"
            assert not re.search(pattern, slipped), (pattern, slipped)
    assert re.search(TEXT_PATTERN, "two\tcolumns\r\nand lines\n")


def test_published_patterns_spell_white_space_out(schema):
    # ``\s`` is another set of characters in JSON Schema's ECMA regexes than in Python's (the
    # server's): "\x1e" is white space to one and not to the other.
    requests = {k: v for k, v in schema["components"]["schemas"].items() if k.endswith("Request")}

    assert [p for p in _string_patterns(requests) if re.search(r"\\[sS]", p)] == []


def test_text_query_parameters_say_they_hold_no_nul(schema):
    parameters = schema["paths"]["/api/units"]["get"]["parameters"]
    serial = next(p for p in parameters if p["name"] == "filter[serial_number]")

    assert serial["schema"]["pattern"] == r"^[^\u0000]*$"


def test_a_person_without_an_e_mail_answers_what_the_schema_says(schema, api):
    """People made in the admin or by a command may have no e-mail: a response may carry ""
    (a request may not)."""
    import jsonschema

    from tests.factories import UserFactory

    person = UserFactory(email="")
    body = api.get(f"/api/users/{person.public_id}").json()
    ref = schema["paths"]["/api/users/{user_id}"]["get"]["responses"]["200"]["content"]
    component = next(iter(ref.values()))["schema"]["$ref"].rsplit("/", 1)[1]
    email = schema["components"]["schemas"][component]["properties"]["email"]
    checker = jsonschema.FormatChecker()

    jsonschema.validate(body["email"], email, format_checker=checker)
    jsonschema.validate("tess@example.com", email, format_checker=checker)
    request_email = next(
        s["properties"]["email"]
        for name, s in schema["components"]["schemas"].items()
        if name.endswith("Request") and "email" in s.get("properties", {})
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("", request_email, format_checker=checker)


def test_the_answers_a_put_can_give_are_declared(schema):
    """A project's or program's statuses still in use answer 409; a part with units moved to
    another customer 423."""
    paths = schema["paths"]
    assert "409" in paths["/api/projects/{project_id}"]["put"]["responses"]
    assert "409" in paths["/api/programs/{program_id}"]["put"]["responses"]
    assert "423" in paths["/api/parts/{part_id}"]["put"]["responses"]


def test_every_operation_is_ready_for_client_generators(schema):
    """A summary and a description on every operation, one lowerCamel operationId each (no
    generator's snake_case), and the servers a generated client starts from."""
    operations = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    ids = [operation["operationId"] for _, _, operation in operations]

    assert [(m, p) for m, p, o in operations if not o.get("summary")] == []
    assert [(m, p) for m, p, o in operations if not o.get("description")] == []
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-zA-Z0-9]*", i)] == []
    assert len(ids) == len(set(ids))
    assert schema["servers"][0]["url"] == "http://127.0.0.1:8000"
    without_body = [
        (m, p, code)
        for m, p, o in operations
        for code, response in o["responses"].items()
        if code[0] in "45" and "application/problem+json" not in response.get("content", {})
    ]
    assert without_body == []
    merge_patch = schema["paths"]["/api/customers/{customer_id}"]["patch"]
    assert merge_patch["operationId"] == "patchCustomer"
    assert "RFC 7396" in merge_patch["description"]


def test_what_linters_ask_beyond_validity(schema):
    """Redocly's and Spectral's recommended rules (``make schema-lint`` runs both in CI): every
    tag declared with a description, no ``allOf`` of one schema, no component unused."""
    used = {
        tag
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])
    }
    declared = {tag["name"]: tag["description"] for tag in schema["tags"]}
    assert used == set(declared) and all(declared.values())
    assert all(len(node["allOf"]) > 1 for node in _nodes(schema) if "allOf" in node)
    text = json.dumps(schema)
    for name in schema["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text, f"{name} is never used"


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)
