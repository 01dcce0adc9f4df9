"""The API against its own OpenAPI schema: schemathesis generates valid and invalid requests
for every operation and checks every answer (no 5xx, documented status codes, bodies and
headers as the schema says, invalid input rejected, valid input accepted)."""

import json
import os
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from tests.contract.shop import build, repair_body, repair_path
from tests.factories import UserFactory
from users.services import token_issue

EXAMPLES = int(os.environ.get("NIAGARA_CONTRACT_EXAMPLES", "100"))
pytestmark = pytest.mark.skipif(
    not os.environ.get("NIAGARA_CONTRACT_EXAMPLES"),
    reason="the contract fuzz runs when NIAGARA_CONTRACT_EXAMPLES is set",
)

# The operations taking whole workflow definitions (a work flow's steps, or a work order's line
# defining one inline): the coverage phase enumerates every boundary of every step type's
# options, thousands of requests and ~10 minutes an operation, so they get the fuzzing phase
# only (EXAMPLES generated requests, valid and invalid, like every operation). The step union
# they publish is held to the server's verdicts by tests/api/test_schema.py.
DEFINITIONS = ["createWorkflow", "updateWorkflow", "createWorkOrder", "updateWorkOrder"]

# Besides 409, the API's documented state conflicts: 423 (the entity has dependents or work in
# flight). Anything else for a valid request fails the run.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "423", "429"]
            },
            # An invalid request may also be refused for its size (a file's bytes beyond what
            # it announced, 413), besides schemathesis's own list.
            "negative_data_rejection": {
                "expected-statuses": [
                    *("400", "401", "403", "404", "405", "406", "409", "413", "415", "422"),
                    *("428", "429"),
                ]
            },
        },
        "operations": [
            {"include-operation-id": DEFINITIONS, "phases": {"coverage": {"enabled": False}}},
            # A multipart body's fields are text on the wire ("9" is a size): what the fuzz
            # makes "schema-violating" there is often a valid form. Its refusals are tested
            # in tests/attachments.
            {
                "include-operation-id": ["signAttachment"],
                "checks": {"negative_data_rejection": {"enabled": False}},
            },
            # An action's event must be about its entity (a CYC event never concerns a
            # contact): a rule between the URL and the body no schema states. The fuzz still
            # checks every answer; tests/actions holds the acceptance of valid actions.
            {
                "include-path-regex": "/actions",
                "checks": {"positive_data_acceptance": {"enabled": False}},
            },
        ],
    }
)


def _load():
    # The schema as the server publishes it, generated in process (no database needed).
    generator = SchemaGenerator()
    raw = json.loads(json.dumps(generator.get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(raw, config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load()


@pytest.fixture
def shop(db):
    return build()


@pytest.fixture
def token(db):
    # Requests go through the WSGI handler, which closes the database connection after each
    # one; as Django's test client does, keep the test's connection (and transaction) open.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield token_issue(user=UserFactory(is_superuser=True))
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_contract(case, token, shop):
    _call_and_validate(case, token, shop)


def _call_and_validate(case, token, shop):
    if not _negative(case, ParameterLocation.PATH):
        repair_path(case, shop)
    if not _negative(case, ParameterLocation.BODY):
        repair_body(case, shop)
    if not _negative(case, ParameterLocation.QUERY):
        # A valid cursor is one this list returned (signed): none can be made from the schema.
        case.query.pop("offset", None)
    if not _negative(case, ParameterLocation.HEADER) and case.headers:
        # Valid use of the conditional, retry and requestor headers, as the schema describes
        # them: a key is unique per request, "*" matches whatever the entity's current ETag
        # is, and a requestor is a user who exists.
        if "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = str(uuid.uuid4())
        if "If-Match" in case.headers:
            case.headers["If-Match"] = "*"
        if "Requestor-ID" in case.headers:
            case.headers["Requestor-ID"] = shop["ids"]["requestor"]  # an active user
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


def _negative(case, location) -> bool:
    component = case.meta.components.get(location) if case.meta else None
    return component is not None and component.mode.is_negative
