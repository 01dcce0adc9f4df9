"""One vocabulary for validation messages, whoever finds the failure."""

from unittest import mock

import pytest

from niagara.jsonschemas import DocumentSchema
from niagara.validation_messages import entry, wording
from tests.helpers import assert_status, post_json

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("keyword", "params", "message"),
    [
        ("type", {"type": "string"}, "should be string"),
        ("required", {"missingProperty": "label"}, "should have required property 'label'"),
        ("minLength", {"limit": 1}, "should NOT be shorter than 1 characters"),
        ("maxItems", {"limit": 16}, "should NOT have more than 16 items"),
        ("minimum", {"comparison": ">=", "limit": 1}, "should be >= 1"),
        ("enum", {"allowedValues": ["A"]}, "should be equal to one of the allowed values"),
    ],
)
def test_the_wording_is_ajvs(keyword, params, message):
    assert wording(keyword, params) == message
    assert entry(keyword, ("items", 0, "label"), params=params) == {
        "keyword": keyword,
        "dataPath": ".items[0].label",
        "schemaPath": "#/properties/items/items/properties/label",
        "params": params,
        "message": message,
    }


def test_a_field_rule_and_a_document_schema_word_one_failure_alike(api):
    """``label: ""`` fails a serializer field; a status label of "" fails a JSON schema."""
    body = {"label": "", "allowed_statuses": [{"status": "", "category": "PENDING"}]}

    response = post_json(api, "/api/customers", body)

    assert_status(response, 400)
    by_path = {m["dataPath"]: m for m in response.json()["validation_messages"]}
    assert by_path[".label"]["message"] == "should NOT be shorter than 1 characters"
    assert by_path[".allowed_statuses[0].status"]["keyword"] == "pattern"


def test_a_document_is_validated_once_per_request(api):
    body = {"label": "Acme", "allowed_statuses": [{"status": "Open", "category": "NOPE"}]}

    with mock.patch.object(
        DocumentSchema, "errors", autospec=True, side_effect=DocumentSchema.errors
    ) as errors:
        response = post_json(api, "/api/customers", body)

    assert_status(response, 400)
    [message] = response.json()["validation_messages"]
    assert (message["keyword"], message["dataPath"]) == ("enum", ".allowed_statuses[0].category")
    assert message["params"] == {
        "allowedValues": ["PENDING", "IN_PROGRESS", "VERIFYING", "BLOCKED", "COMPLETE", "CANCELLED"]
    }
    documents = [call.args[1] for call in errors.call_args_list]
    assert documents.count(body["allowed_statuses"]) == 1
