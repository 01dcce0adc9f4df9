"""The admin obeys the permission graph: two customers' managers and a technician, signed in
to the admin, each see and change exactly what the API would let them."""

import pytest
from django.test import Client

from customers.models import Customer
from tests.helpers import changeform_data, holder_of
from tests.users.test_shared_floor import floor  # noqa: F401  (the shared fixture)
from users.models import Role

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_lists_and_opens_their_customer_alone(floor):  # noqa: F811
    maria = signed_in(floor["maria"])
    acme, globex = floor["acme"]["customer"], floor["globex"]["customer"]

    home = maria.get("/admin/").content.decode()
    assert "/admin/customers/customer/" in home and "/admin/users/role/" not in home
    listing = maria.get("/admin/customers/customer/").content.decode()
    assert acme.label in listing and globex.label not in listing
    assert maria.get(f"/admin/customers/customer/{acme.pk}/change/").status_code == 200
    # Another customer's page answers as a missing one (back to the index).
    assert maria.get(f"/admin/customers/customer/{globex.pk}/change/").status_code == 302
    picker = maria.get(
        "/admin/autocomplete/",
        {"app_label": "customers", "model_name": "program", "field_name": "customer", "term": ""},
    ).json()
    assert [row["text"] for row in picker["results"]] == [acme.label]


def test_a_manager_changes_their_customer_but_creates_none(floor):  # noqa: F811
    maria = signed_in(floor["maria"])
    acme = floor["acme"]["customer"]
    url = f"/admin/customers/customer/{acme.pk}/change/"

    response = maria.post(url, {**changeform_data(maria.get(url)), "label": "Acme Corp"})

    assert response.status_code == 302
    assert Customer.objects.get(pk=acme.pk).label == "Acme Corp"
    assert maria.get("/admin/customers/customer/add/").status_code == 403


def test_the_floor_pages_show_a_manager_their_customers_work_alone(floor):  # noqa: F811
    maria = signed_in(floor["maria"])
    acme, globex = floor["acme"], floor["globex"]

    board = maria.get(f"/admin/queues/queue/{floor['queue'].pk}/change/").content.decode()
    assert f"/admin/batches/batch/{acme['batches'][0].pk}/change/" in board
    assert f"/admin/batches/batch/{globex['batches'][0].pk}/change/" not in board
    batches = maria.get("/admin/batches/batch/").content.decode()
    assert f"/admin/batches/batch/{acme['batches'][0].pk}/change/" in batches
    assert f"/admin/batches/batch/{globex['batches'][0].pk}/change/" not in batches
    cockpit = maria.get("/admin/").content.decode()
    assert globex["customer"].label not in cockpit
    split = f"/admin/workorders/workorder/{globex['work_order'].pk}/split/"
    assert maria.get(split).status_code == 404


def test_a_technician_sees_their_batch_and_its_cycles_alone(floor):  # noqa: F811
    tess = signed_in(floor["tess"])
    mine, other = floor["acme"]["batches"][0], floor["acme"]["batches"][1]

    batches = tess.get("/admin/batches/batch/").content.decode()
    assert f"/admin/batches/batch/{mine.pk}/change/" in batches
    assert f"/admin/batches/batch/{other.pk}/change/" not in batches
    cycles = tess.get("/admin/batches/cycle/").content.decode()
    assert mine.cycles.first().label in cycles
    assert tess.get(f"/admin/batches/cycle/{other.cycles.first().pk}/change/").status_code == 302
    assert tess.get("/admin/customers/customer/").status_code == 403
    assert tess.get("/admin/users/role/").status_code == 403


def test_roles_are_managed_in_the_admin_by_administrators():
    admin_user = holder_of("tenant:settings", "tenant:read")
    client = signed_in(admin_user)

    page = client.get("/admin/users/role/add/")
    assert page.status_code == 200
    response = client.post(
        "/admin/users/role/add/",
        {
            "label": "Auditor",
            "description": "Reads customers",
            "permissions": ["customer:read-all", "customer:read"],
            "holdings-TOTAL_FORMS": "0",
            "holdings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = Role.objects.get(label="Auditor")
    assert role.permissions == {"customer:read-all", "customer:read"}
    taken = client.post(
        "/admin/users/role/add/",
        {
            "label": "AUDITOR",
            "permissions": ["customer:read"],
            "holdings-TOTAL_FORMS": "0",
            "holdings-INITIAL_FORMS": "0",
        },
    )
    assert taken.status_code == 200 and "already exists" in taken.content.decode()
