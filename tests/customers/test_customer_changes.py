"""Replacing and deleting customers: PUT semantics, conflicts, locks."""

import copy
from unittest import mock

import pytest
from django.db.models import ProtectedError

from customers.models import Customer
from tests.factories import CustomerFactory
from tests.helpers import assert_status, post_json, put_json

from .seed_bodies import body

pytestmark = pytest.mark.django_db


def test_duplicate_label_is_a_conflict_whatever_the_case(api):
    CustomerFactory(label="Niagara Customer")

    response = post_json(api, "/api/customers", body(label="  niagara CUSTOMER "))

    assert_status(response, 409)
    assert response.json()["title"] == "Conflict"
    assert response.json()["type"] == "https://docs.nterprise.com/api/problem/Conflict"
    assert Customer.objects.count() == 1


def test_put_replaces_the_customer(api):
    customer = CustomerFactory(external_platform={"salesforce": "x"})
    new_statuses = [{"status": "Open", "category": "PENDING", "description": None, "order": 1}]

    response = put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {"label": "Renamed", "allowed_statuses": new_statuses},
    )

    assert_status(response, 200)
    data = response.json()
    assert data["label"] == "Renamed"
    assert data["allowed_statuses"] == new_statuses
    assert data["external_platform"] == {}, "PUT replaces: an omitted field is reset"
    customer.refresh_from_db()
    assert (customer.label, customer.allowed_statuses) == ("Renamed", new_statuses)


def test_put_accepts_back_what_get_returned(api):
    customer = CustomerFactory()
    fetched = api.get(f"/api/customers/{customer.public_id}").json()
    fetched["label"] = "Round trip"

    response = put_json(api, f"/api/customers/{customer.public_id}", fetched)

    assert_status(response, 200)
    assert response.json()["label"] == "Round trip"
    assert response.json()["customer_id"] == customer.public_id


def test_put_keeping_its_own_label_is_not_a_conflict(api):
    customer = CustomerFactory(label="Same")

    response = put_json(api, f"/api/customers/{customer.public_id}", body(label="SAME"))

    assert_status(response, 200)


def test_put_to_another_customers_label_is_a_conflict_and_changes_nothing(api):
    CustomerFactory(label="Taken")
    customer = CustomerFactory(label="Mine")

    response = put_json(api, f"/api/customers/{customer.public_id}", body(label="taken"))

    assert_status(response, 409)
    customer.refresh_from_db()
    assert customer.label == "Mine"


def test_invalid_put_changes_nothing(api):
    customer = CustomerFactory(label="Before")
    statuses = copy.deepcopy(customer.allowed_statuses)

    response = put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {"label": "After", "allowed_statuses": [{"status": "Open"}]},
    )

    assert_status(response, 400)
    customer.refresh_from_db()
    assert (customer.label, customer.allowed_statuses) == ("Before", statuses)


def test_patch_takes_a_merge_patch_not_plain_json(api):
    customer = CustomerFactory()

    response = api.patch(f"/api/customers/{customer.public_id}", {"label": "x"}, format="json")

    assert_status(response, 415)
    assert response["Content-Type"] == "application/problem+json"


def test_delete_answers_205_with_no_body(api):
    customer = CustomerFactory()

    response = api.delete(f"/api/customers/{customer.public_id}")

    assert_status(response, 205)
    assert response.content == b""
    assert not Customer.objects.exists()
    assert_status(api.get(f"/api/customers/{customer.public_id}"), 404)


def test_delete_with_dependent_records_is_locked_and_deletes_nothing(api):
    customer = CustomerFactory()
    dependent = CustomerFactory.build(label="A dependent record")

    with mock.patch.object(
        Customer, "delete", side_effect=ProtectedError("protected", [dependent])
    ):
        response = api.delete(f"/api/customers/{customer.public_id}")

    assert_status(response, 423)
    assert response.json()["title"] == "Locked"
    assert response.json()["type"] == "https://docs.nterprise.com/api/problem/Locked"
    assert "customers" in response.json()["detail"]
    assert Customer.objects.filter(pk=customer.pk).exists()
