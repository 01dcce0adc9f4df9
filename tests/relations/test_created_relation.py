""" "Created By" is written by the system: neither the API nor the admin may change it."""

import pytest

from relations.models import Relation, RelationType
from tests.factories import UserFactory
from tests.helpers import assert_status, changeform_data, post_json

pytestmark = pytest.mark.django_db

INWARD = "relations-relation-object_type-object_id"


@pytest.fixture
def customer(api):
    body = {"label": "Acme", "allowed_statuses": [{"status": "Open", "category": "PENDING"}]}
    return post_json(api, "/api/customers", body).json()


def created_relations():
    return list(
        Relation.objects.filter(relation=RelationType.CREATED).values_list("pk", "subject_id")
    )


def test_the_api_cannot_replace_or_add_a_creator(api, customer):
    """``created`` may record the creator of what has none (brought in from elsewhere, as the
    docs' example does); an entity made through Niagara has its creator: 409, nothing added."""
    forger = UserFactory()
    before = created_relations()
    body = {"relation": "created", "entity": {"entity_type": "USER", "entity_id": forger.public_id}}

    response = post_json(api, f"/api/customers/{customer['customer_id']}/relations", body)

    assert_status(response, 409)
    assert created_relations() == before


def test_the_api_cannot_delete_a_created_relation(api, customer):
    url = f"/api/customers/{customer['customer_id']}/relations"
    [created] = api.get(url, {"filter[relation]": "created"}).json()["_embedded"]["nter:relations"]
    before = created_relations()

    response = api.delete(f"{url}/{created['relation_id']}")

    assert_status(response, 403)
    assert response.json()["status"] == 403
    assert created_relations() == before


def admin_page(client, superuser, customer):
    client.force_login(superuser)
    from customers.models import Customer

    pk = Customer.objects.get(public_id=customer["customer_id"]).pk
    url = f"/admin/customers/customer/{pk}/change/"
    return url, client.get(url)


def test_the_created_row_is_read_only_in_the_admin(client, superuser, customer):
    url, page = admin_page(client, superuser, customer)
    forger = UserFactory()
    data = changeform_data(page)
    # The page shows the row, but offers no field to change it.
    assert "Created By" in page.content.decode()
    assert not any(k.startswith(f"{INWARD}-0-") and k.endswith("-entity") for k in data)
    data.update({f"{INWARD}-0-entity": f"USER:{forger.public_id}", f"{INWARD}-0-relation": "owner"})
    data[f"{INWARD}-0-DELETE"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302
    assert created_relations() == [(created_relations()[0][0], superuser.pk)]


def test_the_admin_cannot_add_a_created_relation(client, superuser, customer):
    url, page = admin_page(client, superuser, customer)
    forger = UserFactory()
    data = changeform_data(page)
    total = int(data[f"{INWARD}-TOTAL_FORMS"])
    data.update(
        {
            f"{INWARD}-TOTAL_FORMS": str(total + 1),
            f"{INWARD}-{total}-entity": f"USER:{forger.public_id}",
            f"{INWARD}-{total}-relation": "created",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(created_relations()) == 1
