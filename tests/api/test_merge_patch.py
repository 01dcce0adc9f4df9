"""PATCH with a JSON merge patch (RFC 7396, seed 004) on every entity that has PUT: applied to
the entity as answered, then validated and stored exactly as a PUT of the result — same
problems, If-Match honoured, nothing changed on a problem."""

import json

import pytest

from customers.models import Customer
from tests.factories import CustomerFactory, ProgramFactory, UnitFactory
from tests.helpers import assert_problem, assert_status, put_json

pytestmark = pytest.mark.django_db

MERGE = "application/merge-patch+json"


def merge(client, url, patch, **headers):
    return client.patch(url, json.dumps(patch), content_type=MERGE, **headers)


def test_a_merge_patch_changes_only_what_it_names(api):
    customer = CustomerFactory(label="Acme", external_platform={"crm": "1"})
    url = f"/api/customers/{customer.public_id}"

    response = merge(api, url, {"label": "Acme Corp", "external_platform": {"erp": "7"}})

    assert_status(response, 200)
    body = response.json()
    assert body["label"] == "Acme Corp"
    assert body["external_platform"] == {"crm": "1", "erp": "7"}  # objects merge
    assert body["allowed_statuses"] == api.get(url).json()["allowed_statuses"]


def test_null_removes_a_member_as_a_put_without_it_would(api):
    program = ProgramFactory(start_date="2026-01-01T00:00:00Z")

    response = merge(api, f"/api/programs/{program.public_id}", {"start_date": None})

    assert_status(response, 200)
    assert response.json()["start_date"] is None


def test_a_bad_patch_is_the_problem_a_put_would_be_and_changes_nothing(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"
    as_put = put_json(api, url, {**api.get(url).json(), "label": 5}).json()

    response = merge(api, url, {"label": 5})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"] == as_put["validation_messages"]
    assert Customer.objects.get(pk=customer.pk).label == "Acme"


def test_a_merge_patch_honours_if_match(api):
    customer = CustomerFactory(label="Acme")
    url = f"/api/customers/{customer.public_id}"
    etag = api.get(url)["ETag"]
    merge(api, url, {"label": "Changed meanwhile"})

    stale = merge(api, url, {"label": "Mine"}, HTTP_IF_MATCH=etag)

    assert_status(stale, 412)
    assert Customer.objects.get(pk=customer.pk).label == "Changed meanwhile"


def test_a_patch_of_an_entity_in_plain_json_is_a_415(api):
    customer = CustomerFactory()

    response = api.patch(f"/api/customers/{customer.public_id}", {"label": "x"}, format="json")

    assert_status(response, 415)


def test_units_take_plain_json_and_merge_patches(api):
    unit = UnitFactory(label="iPad")
    url = f"/api/units/{unit.public_id}"

    plain = api.patch(url, {"label": "iPad 1"}, format="json")
    merged = merge(api, url, {"tenant_part_number": "NW-7"})

    assert_status(plain, 200)
    assert_status(merged, 200)
    assert (merged.json()["label"], merged.json()["tenant_part_number"]) == ("iPad 1", "NW-7")


@pytest.mark.parametrize(
    "patch", [{"": None}, {"no_such_field": None}, {"external_platform": {"": None}}]
)
def test_removing_a_member_that_cannot_exist_is_a_400(api, patch):
    customer = CustomerFactory(label="Acme", external_platform={"crm": "1"})

    response = merge(api, f"/api/customers/{customer.public_id}", patch)

    assert_problem(response, 400, "Bad Request")
    assert Customer.objects.get(pk=customer.pk).external_platform == {"crm": "1"}
