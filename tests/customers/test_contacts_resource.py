"""Contacts as a top-level resource, beside the customer sub-collection."""

import pytest

from customers.models import Contact
from customers.selectors import customer_contacts
from relations.models import Relation
from tests.factories import ContactFactory, CustomerFactory
from tests.helpers import assert_status, post_json, put_json

pytestmark = pytest.mark.django_db

CARTER = {"label": "Major", "name": "Samantha Carter", "email": "s.carter@sg1.com"}


def test_create_and_list_contacts(api):
    response = post_json(api, "/api/contacts", CARTER)

    assert_status(response, 200)
    assert response.json()["email"] == "s.carter@sg1.com"
    page = api.get("/api/contacts").json()
    assert [c["contact_id"] for c in page["_embedded"]["nter:contacts"]] == [
        response.json()["contact_id"]
    ]


def test_duplicate_email_is_a_conflict(api):
    ContactFactory(email="s.carter@sg1.com")

    response = post_json(api, "/api/contacts", {**CARTER, "email": "S.CARTER@sg1.com"})

    assert_status(response, 409)
    assert Contact.objects.count() == 1


def test_put_replaces_and_keeps_customer_links(api):
    customer = CustomerFactory()
    contact = ContactFactory(customers=[customer])

    response = put_json(api, f"/api/contacts/{contact.public_id}", {**CARTER, "phone": "555"})

    assert_status(response, 200)
    assert response.json()["name"] == "Samantha Carter"
    assert list(customer_contacts(customer)) == [contact]


def test_put_to_an_email_already_taken_is_a_conflict(api):
    ContactFactory(email="s.carter@sg1.com")
    contact = ContactFactory(email="d.jackson@sg1.com")

    response = put_json(api, f"/api/contacts/{contact.public_id}", CARTER)

    assert_status(response, 409)
    contact.refresh_from_db()
    assert contact.email == "d.jackson@sg1.com"


def test_a_contact_can_serve_several_customers_and_deleting_it_unlinks_it(api):
    first, second = CustomerFactory(), CustomerFactory()
    contact = ContactFactory(customers=[first, second])

    response = api.delete(f"/api/contacts/{contact.public_id}")

    assert_status(response, 205)
    assert not customer_contacts(first).exists() and not customer_contacts(second).exists()
    assert not Relation.objects.exists()
