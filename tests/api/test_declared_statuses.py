"""Every status the API answers is declared on its operation, with the body the schema says:
each operation of the published schema is provoked into its generic failures — no
credentials (401), a person with no role (403, or 404 where existence is private), an unknown
id (404), a body of the wrong type (400), of an unsupported media type (415), too large (413),
a stale ``If-Match`` (412) — and every answer is checked against the operation's declared
statuses, content types and response schemas (schemathesis's checks, without generated data).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from actions.models import Notification
from batches.models import Cycle
from relations.registry import entities
from relations.selectors import relation_id
from relations.services import relation_create
from tests.contract.shop import ID_NAMES, build
from tests.factories import UserFactory
from users.models import PersonalToken
from users.services import token_issue

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _load():
    raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


SCHEMA = _load()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
# Bodies of JSON (a file's upload URL takes raw bytes, and is signed: provoked in its own tests).
WITH_BODIES = [op for op in OPERATIONS if any("json" in body.media_type for body in op.body)]
# Operations a token opens (not an upload URL, whose signature is its key).
WITH_TOKENS = [op for op in OPERATIONS if "401" in op.responses.status_codes]
WITH_IDS = [op for op in OPERATIONS if "{" in op.path]


def _label(operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


@pytest.fixture
def shop(db):
    # Requests go through the WSGI handler, which closes the connection after each; keep the
    # test's connection (and transaction) open, as Django's test client does.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield build()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _known_path(operation, shop) -> dict:
    """Path parameters naming entities that exist (the shop's; the caller's own token; a
    relation of the entity, made here)."""
    known = {
        name: shop["ids"].get(ID_NAMES.get(name, ""), "unknown") for name in _path_names(operation)
    }
    token = PersonalToken.objects.order_by("id").last()
    if "token_id" in known and token is not None:
        known["token_id"] = token.public_id
    if "relation_id" in known:
        kind = entities.by_collection(operation.path.split("/")[2])
        [entity_id] = [v for k, v in known.items() if k != "relation_id"]
        entity = kind.model.objects.get(public_id=entity_id)
        relation = relation_create(subject=UserFactory(), obj=entity, relation="collaborator")
        known["relation_id"] = relation_id("INWARD", relation.pk)
    return known


def _json_media(operation) -> str:
    types = [body.media_type for body in operation.body] if operation.body else []
    return next((t for t in types if "json" in t), "application/json")


def _path_names(operation) -> list[str]:
    return [p.name for p in operation.path_parameters]


def _call(operation, *, path=None, headers=None, body=NOT_SET, **kwargs):
    media_type = _json_media(operation) if body is not NOT_SET else None
    case = operation.Case(
        path_parameters=path or {}, headers=headers or {}, body=body, media_type=media_type
    )
    response = case.call(**kwargs)
    case.validate_response(response, checks=CHECKS)
    return response


def _empty_body(operation):
    """``{}`` for an operation reading a body, nothing for one that reads none."""
    return {} if operation.body else NOT_SET


@pytest.mark.parametrize("operation", WITH_TOKENS, ids=_label)
def test_no_credentials_is_a_declared_401(shop, operation):
    response = _call(operation, path=_known_path(operation, shop))

    assert response.status_code == 401


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_issue(user=user)}"}


@pytest.mark.parametrize("operation", OPERATIONS, ids=_label)
def test_a_person_without_a_role_gets_declared_answers(shop, operation):
    response = _call(
        operation,
        path=_known_path(operation, shop),
        headers=_bearer(UserFactory()),
        body=_empty_body(operation),
    )

    assert response.status_code != 401


@pytest.fixture
def root(shop):
    caller = UserFactory(is_superuser=True)
    # A notification is its recipient's alone: the caller's own is the one the tests patch.
    mine = Notification.objects.create(recipient=caller, label="Yours", key="declared")
    shop["ids"]["notification"] = mine.public_id
    return _bearer(caller)


@pytest.mark.parametrize("operation", WITH_IDS, ids=_label)
def test_an_unknown_id_is_a_declared_404(shop, root, operation):
    body = _empty_body(operation)
    unknown = dict.fromkeys(_path_names(operation), "no-such-thing")

    response = _call(operation, path=unknown, headers=root, body=body)

    # A body is read before the entity it is written under is looked up: ``{}`` may be the
    # 400 first.
    assert response.status_code == 404 or (body == {} and response.status_code == 400)


@pytest.mark.parametrize("operation", WITH_BODIES, ids=_label)
def test_a_body_of_the_wrong_type_is_a_declared_400(shop, root, operation):
    response = _call(operation, path=_known_path(operation, shop), headers=root, body=[])

    assert response.status_code == 400


@pytest.mark.parametrize("operation", WITH_BODIES, ids=_label)
def test_an_unsupported_media_type_is_a_declared_415(shop, root, operation):
    response = _call(
        operation,
        path=_known_path(operation, shop),
        headers={**root, "Content-Type": "text/plain"},
        data=b"label=x",
    )

    assert response.status_code == 415


@pytest.mark.parametrize("operation", WITH_BODIES, ids=_label)
def test_a_body_too_large_is_a_declared_413(shop, root, operation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = _call(
        operation, path=_known_path(operation, shop), headers=root, body={"label": "x" * 2_000}
    )

    assert response.status_code == 413


CONDITIONAL = [
    op
    for op in OPERATIONS
    if "412" in op.responses.status_codes and op.method.upper() in ("PATCH", "DELETE")
]


# Patches that are not merge patches need a valid body before ``If-Match`` is looked at.
VALID_PATCHES = {
    "/api/me/notifications/{notification_id}": (
        {},
        [{"op": "replace", "path": "/read", "value": True}],
    ),
    "/api/notes/{note_id}": ({}, {"closed": True}),
    "/api/contexts/{context_id}/{step_slug}": (
        {"step_slug": "image-device"},
        {"close_step": {"step": "image-device"}},
    ),
}


@pytest.mark.parametrize("operation", CONDITIONAL, ids=_label)
def test_a_stale_if_match_is_a_declared_412(shop, root, operation):
    path, body = VALID_PATCHES.get(operation.path, ({}, _empty_body(operation)))

    response = _call(
        operation,
        path={**_known_path(operation, shop), **path},
        headers={**root, "If-Match": '"stale"'},
        body=body,
    )

    assert response.status_code == 412


def test_closing_a_step_that_is_not_current_is_a_declared_409(shop, root):
    operation = SCHEMA.find_operation_by_id("completeStep")

    response = _call(
        operation,
        path={"context_id": shop["ids"]["context"], "step_slug": "work-complete"},
        headers=root,
        body={"close_step": {"step": "work-complete"}},
    )

    assert response.status_code == 409


def test_taking_from_a_batch_with_nothing_pending_is_a_declared_409(shop, root):
    operation = SCHEMA.find_operation_by_id("takeNextCycle")
    Cycle.objects.filter(batch__public_id=shop["ids"]["batch"]).update(category="COMPLETE")

    response = _call(
        operation,
        path={"batch_id": shop["ids"]["batch"]},
        headers=root,
        body={"raw_serial_number": "NOTHING-LEFT-1"},
    )

    assert response.status_code == 409
