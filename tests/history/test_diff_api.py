"""Change history: who changed which field, from what to what, when — from every entry point."""

import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from customers.models import Contact, Customer
from history.models import Diff
from tests.factories import CustomerFactory, UserFactory
from tests.helpers import assert_status, client_for, post_json, put_json

pytestmark = pytest.mark.django_db

BODY = {
    "label": "Acme",
    "external_platform": {"salesforce": "001"},
    "allowed_statuses": [{"status": "Open", "category": "PENDING"}],
}


def diffs(api, path):
    response = api.get(f"/api/{path}/diff")
    assert_status(response, 200)
    return response.json()["_embedded"]["nter:diffs"]


def test_a_put_records_one_item_per_changed_field_newest_first(db):
    creator = UserFactory(
        first_name="Ada", last_name="Lovelace", email="ada@example.com", is_superuser=True
    )
    editor = UserFactory(
        first_name="Grace", last_name="Hopper", email="grace@example.com", is_superuser=True
    )
    customer_id = post_json(client_for(creator), "/api/customers", BODY).json()["customer_id"]
    editor_client = client_for(editor)

    response = put_json(
        editor_client,
        f"/api/customers/{customer_id}",
        {**BODY, "label": "Acme Corp", "external_platform": {"salesforce": "001"}},
    )
    assert_status(response, 200)

    items = diffs(editor_client, f"customers/{customer_id}")
    newest = items[0]
    assert newest["property"] == "label"
    assert (newest["old_value"], newest["new_value"]) == ("Acme", "Acme Corp")
    assert newest["by_user"] == {
        "user_id": editor.public_id,
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "created": newest["by_user"]["created"],
        "updated": newest["by_user"]["updated"],
    }
    assert set(newest) == {
        *("diff_id", "property", "old_value", "new_value", "by_user", "on_behalf_of", "date"),
        "_links",
    }
    # Each change is a resource of its own under its entity's history.
    assert newest["_links"]["self"]["href"].endswith(f"/diff/{newest['diff_id']}")
    assert editor_client.get(newest["_links"]["self"]["href"]).json() == newest
    assert newest["on_behalf_of"] is None
    later_changes = [i for i in items if i["by_user"]["user_id"] == editor.public_id]
    assert [i["property"] for i in later_changes] == ["label"], "unchanged fields are not items"
    creation = {i["property"]: i for i in items if i["by_user"]["user_id"] == creator.public_id}
    assert set(creation) == {"label", "external_platform", "allowed_statuses", "is_active"}
    assert creation["label"]["old_value"] is None
    assert json.loads(creation["allowed_statuses"]["new_value"]) == [
        {"status": "Open", "category": "PENDING", "description": None, "order": 1}
    ]
    dates = [i["date"] for i in items]
    assert dates == sorted(dates, reverse=True)


def test_json_documents_are_diffed_as_json(api):
    customer_id = post_json(api, "/api/customers", BODY).json()["customer_id"]
    statuses = [
        {"status": "Open", "category": "PENDING"},
        {"status": "Done", "category": "COMPLETE"},
    ]

    put_json(api, f"/api/customers/{customer_id}", {**BODY, "allowed_statuses": statuses})

    newest = diffs(api, f"customers/{customer_id}")[0]
    assert newest["property"] == "allowed_statuses"
    assert len(json.loads(newest["old_value"])) == 1
    assert [s["status"] for s in json.loads(newest["new_value"])] == ["Open", "Done"]


def test_admin_changes_record_the_admin_user(client, superuser):
    customer = CustomerFactory(label="Before")
    client.force_login(superuser)
    data = {
        "label": "After",
        "external_platform": "{}",
        "allowed_statuses-count": "1",
        "allowed_statuses-0-status": "Pending",
        "allowed_statuses-0-category": "PENDING",
        "allowed_statuses-0-description": "For something that is Pending",
        "allowed_statuses-0-order": "1",
    }
    for prefix in (
        "programs",
        "relations-relation-object_type-object_id",
        "relations-relation-subject_type-subject_id",
    ):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(f"/admin/customers/customer/{customer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    label_change = Diff.objects.filter(property="label").latest("id")
    assert (label_change.old_value, label_change.new_value) == ("Before", "After")
    assert label_change.by_user == superuser


def test_admin_shows_each_objects_history(client, superuser, api):
    customer_id = post_json(api, "/api/customers", BODY).json()["customer_id"]
    put_json(api, f"/api/customers/{customer_id}", {**BODY, "label": "Renamed"})
    customer = Customer.objects.get(public_id=customer_id)
    client.force_login(superuser)

    response = client.get(f"/admin/customers/customer/{customer.pk}/history/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Renamed" in page and superuser.username in page


def test_commands_record_their_actor():
    call_command("seed_demo", stdout=io.StringIO())

    customer = Customer.objects.get(label="Northwind Retail")
    record = customer.history.earliest("history_date")
    assert record.history_user.username == "niagara"
    assert Diff.objects.filter(by_user__username="niagara", property="label").exists()


def test_commands_may_name_the_actor(superuser):
    call_command("seed_demo", "--actor", superuser.username, stdout=io.StringIO())

    assert Contact.objects.first().history.earliest("history_date").history_user == superuser


def test_diff_pages_cost_the_same_queries(api, django_assert_max_num_queries):
    customer_id = post_json(api, "/api/customers", BODY).json()["customer_id"]
    for index in range(20):
        put_json(api, f"/api/customers/{customer_id}", {**BODY, "label": f"Acme {index}"})
    url = f"/api/customers/{customer_id}/diff"
    api.get(url + "?limit=1")

    with django_assert_max_num_queries(6) as small:
        assert len(api.get(url + "?limit=1").json()["_embedded"]["nter:diffs"]) == 1
    with django_assert_max_num_queries(6) as large:
        assert len(api.get(url + "?limit=100").json()["_embedded"]["nter:diffs"]) == 24
    assert len(small.captured_queries) == len(large.captured_queries)


def test_diffs_of_a_deleted_entity_go_with_it(api):
    customer_id = post_json(api, "/api/customers", BODY).json()["customer_id"]
    customer = Customer.objects.get(public_id=customer_id)
    of_customer = Diff.objects.filter(
        entity_type=ContentType.objects.get_for_model(Customer), entity_id=customer.pk
    )
    assert of_customer.exists()

    api.delete(f"/api/customers/{customer_id}")

    assert not of_customer.exists()
    assert_status(api.get(f"/api/customers/{customer_id}/diff"), 404)
    assert customer.history.model.objects.filter(id=customer.pk, history_type="-").exists()


def test_reading_history_goes_with_reading_the_entity(client_with_perms):
    customer = CustomerFactory()

    assert_status(client_with_perms().get(f"/api/customers/{customer.public_id}/diff"), 404)
    allowed = client_with_perms("customer:read")
    assert_status(allowed.get(f"/api/customers/{customer.public_id}/diff"), 200)


def test_contacts_and_users_have_diff_endpoints(api, superuser):
    customer = CustomerFactory()
    contact = post_json(
        api,
        f"/api/customers/{customer.public_id}/contacts",
        {"label": "Major", "name": "Sam", "email": "sam@example.com"},
    ).json()

    items = diffs(api, f"contacts/{contact['contact_id']}")
    assert {i["property"] for i in items} == {"label", "name", "email"}
    assert_status(api.get(f"/api/users/{superuser.public_id}/diff"), 200)
