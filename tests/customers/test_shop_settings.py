"""The shop's status vocabulary (``/settings/statuses``): what new customers start from, read
with ``tenant:read``, grown with ``tenant:settings`` (over the API or on the admin's settings
page); customers that exist keep their own."""

import pytest
from django.test import Client

from customers.models import Customer, ShopSettings
from customers.statuses import DEFAULT_STATUSES
from tests.factories import CustomerFactory, UserFactory
from tests.helpers import assert_problem, assert_status, changeform_data, client_with, post_json
from users.roles import FloorRole
from users.services import user_set_role

pytestmark = pytest.mark.django_db

URL = "/api/settings/statuses"
QC_HOLD = {"status": "QC Hold", "category": "BLOCKED", "description": "Waiting for QC"}


def statuses(response) -> list[dict]:
    return response.json()["_embedded"]["nter:settings-statuses"]


def test_the_shop_starts_with_the_six_statuses_and_links_itself():
    reader = client_with("tenant:read")

    response = reader.get(URL)

    assert_status(response, 200)
    assert statuses(response) == DEFAULT_STATUSES
    assert response.json()["_links"]["self"]["href"] == f"http://testserver{URL}"
    assert "nter:settings-statuses" in reader.get("/api/").json()["_links"]


def test_an_administrator_adds_a_status_and_gets_the_whole_list():
    admin = client_with("tenant:settings")
    customer = CustomerFactory()
    before = list(customer.allowed_statuses)

    response = post_json(admin, URL, QC_HOLD)

    assert_status(response, 200)
    listed = statuses(response)
    assert listed[:6] == DEFAULT_STATUSES
    assert listed[6] == {**QC_HOLD, "order": max(s["order"] for s in DEFAULT_STATUSES) + 1}
    assert statuses(admin.get(URL)) == listed
    customer.refresh_from_db()
    assert customer.allowed_statuses == before, "a customer keeps its own statuses"
    assert ShopSettings.history.filter(history_type="~").count() == 1  # the change, kept


@pytest.mark.parametrize(
    "body, path",
    [
        ({"status": "QC Hold", "category": "WAITING"}, ".category"),
        ({"status": "1st", "category": "PENDING"}, ".status"),
        ({"status": "QC Hold"}, ".category"),
        ({**QC_HOLD, "colour": "red"}, ".colour"),
        ([QC_HOLD], ""),
    ],
)
def test_a_bad_status_is_a_problem_that_changes_nothing(body, path):
    admin = client_with("tenant:settings")

    problem = assert_problem(post_json(admin, URL, body), 400, "Bad Request")

    assert path in str(problem.get("validation_messages", "")) or path == ""
    assert statuses(admin.get(URL)) == DEFAULT_STATUSES


def test_a_label_the_shop_has_is_a_conflict_in_any_case():
    admin = client_with("tenant:settings")

    response = post_json(admin, URL, {"status": " pending", "category": "PENDING"})

    assert_problem(response, 409, "Conflict")
    assert statuses(admin.get(URL)) == DEFAULT_STATUSES


def test_the_vocabulary_holds_at_most_a_hundred():
    ShopSettings.objects.create(
        pk=1,
        statuses=[{"status": f"Step {n:03d}", "category": "PENDING"} for n in range(100)],
    )
    admin = client_with("tenant:settings")

    assert_problem(post_json(admin, URL, QC_HOLD), 409, "Conflict")
    assert len(statuses(admin.get(URL))) == 100


def test_only_administrators_change_it_and_only_the_shop_reads_it():
    manager, technician = UserFactory(), UserFactory()
    user_set_role(manager, role=FloorRole.MANAGER)
    user_set_role(technician, role=FloorRole.TECHNICIAN)
    from tests.helpers import client_for

    for person in (manager, technician):
        client = client_for(person)
        assert_status(client.get(URL), 403 if person is technician else 200)
        assert_status(post_json(client, URL, QC_HOLD), 403)
    assert_status(Client().get(URL), 401)
    assert not ShopSettings.objects.exists()


def test_new_customers_start_from_the_shops_statuses_in_the_admin(admin_client):
    page = admin_client.get("/admin/customers/shopsettings/", follow=True)
    assert_status(page, 200)
    data = changeform_data(page)
    count = int(data["statuses-count"])
    data.update(
        {
            f"statuses-{count - 3}-status": "QC Hold",
            f"statuses-{count - 3}-category": "BLOCKED",
        }
    )
    saved = admin_client.post("/admin/customers/shopsettings/1/change/", data)
    assert_status(saved, 302)
    assert ShopSettings.objects.get().statuses[-1]["status"] == "QC Hold"

    add = admin_client.get("/admin/customers/customer/add/").content.decode()
    assert 'value="QC Hold"' in add
    assert Customer.objects.count() == 0


def test_a_manager_reads_the_settings_page_and_a_technician_does_not_open_it():
    manager, technician = UserFactory(), UserFactory()
    user_set_role(manager, role=FloorRole.MANAGER)
    user_set_role(technician, role=FloorRole.TECHNICIAN)
    client = Client()
    client.force_login(manager)

    page = client.get("/admin/customers/shopsettings/", follow=True)
    assert_status(page, 200)
    assert 'name="_save"' not in page.content.decode(), "read-only for tenant:read"
    refused = client.post("/admin/customers/shopsettings/1/change/", changeform_data(page))
    assert refused.status_code == 403
    client.force_login(technician)
    assert client.get("/admin/customers/shopsettings/").status_code == 403
