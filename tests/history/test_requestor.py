"""``Requestor-ID`` (seed 004): an integration acts on behalf of a person. The change is
recorded as the caller's, on behalf of that person; only clients allowed to may send it, and
an id of no active user is a 400 that changes nothing."""

import base64
import io
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from batches.models import Batch
from customers.models import Customer
from tests.factories import (
    CustomerFactory,
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_problem, assert_status, holder_of
from users.models import User
from users.services import user_allow_acting_for_others

pytestmark = pytest.mark.django_db

HEADER = "HTTP_REQUESTOR_ID"


@pytest.fixture
def customer():
    return CustomerFactory(label="Acme")


@pytest.fixture
def erp(customer):
    """An ERP integration (OAuth2 client credentials) registered with ``--on-behalf``."""
    user = holder_of("customer:read", "customer:update", on=customer)
    out = io.StringIO()
    call_command("create_api_client", "ERP", "--user", user.username, "--on-behalf", stdout=out)
    client_id = re.search(r"client_id:\s+(\S+)", out.getvalue()).group(1)
    secret = re.search(r"client_secret:\s+(\S+)", out.getvalue()).group(1)
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = APIClient().post(
        "/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    client.user = user
    return client


def relabel(client, customer, label, **headers):
    url = f"/api/customers/{customer.public_id}"
    body = client.get(url).json()
    return client.put(url, {**body, "label": label}, format="json", **headers)


def test_a_change_on_behalf_of_someone_records_both(erp, customer):
    tess = UserFactory(first_name="Tess", last_name="Tech")

    response = relabel(erp, customer, "Acme Corp", **{HEADER: tess.public_id})

    assert_status(response, 200)
    diffs = erp.get(f"/api/customers/{customer.public_id}/diff").json()["_embedded"]
    diff = diffs["nter:diffs"][0]  # newest first
    assert diff["property"] == "label"
    assert diff["by_user"]["user_id"] == erp.user.public_id
    assert diff["on_behalf_of"]["user_id"] == tess.public_id
    record = Customer.history.filter(id=customer.pk).latest("history_date")
    assert record.history_user == erp.user
    assert record.history_change_reason == f"on behalf of Tess Tech ({tess.public_id})"


def test_without_the_header_the_change_is_the_callers_alone(erp, customer):
    relabel(erp, customer, "Acme Corp")

    diffs = erp.get(f"/api/customers/{customer.public_id}/diff").json()["_embedded"]
    assert diffs["nter:diffs"][0]["on_behalf_of"] is None
    assert Customer.history.latest("history_date").history_change_reason is None


@pytest.mark.parametrize("requestor", ["no-such-user", "  ", "ümlaut"])
def test_an_id_of_no_user_is_a_400_and_changes_nothing(erp, customer, requestor):
    response = relabel(erp, customer, "Changed", **{HEADER: requestor})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".header[Requestor-ID]"
    assert Customer.objects.get(pk=customer.pk).label == "Acme"


def test_an_inactive_user_cannot_be_acted_for(erp, customer):
    gone = UserFactory(is_active=False)

    response = relabel(erp, customer, "Changed", **{HEADER: gone.public_id})

    assert_problem(response, 400, "Bad Request")


def test_a_client_not_allowed_to_is_refused_whoever_it_names(customer):
    user = holder_of("customer:read", "customer:update", on=customer)
    client = APIClient()
    client.force_authenticate(user)
    tess = UserFactory()

    for requestor in (tess.public_id, "no-such-user"):  # existence is not revealed
        response = relabel(client, customer, "Changed", **{HEADER: requestor})
        assert "act on behalf" in assert_problem(response, 403, "Forbidden")["detail"]
    assert Customer.objects.get(pk=customer.pk).label == "Acme"

    user_allow_acting_for_others(user)
    allowed = APIClient()
    allowed.force_authenticate(User.objects.get(pk=user.pk))  # permissions read afresh
    assert_status(relabel(allowed, customer, "Changed", **{HEADER: tess.public_id}), 200)


def test_the_callers_own_permissions_still_apply(customer):
    reader = holder_of("customer:read", on=customer)
    user_allow_acting_for_others(reader)
    boss = UserFactory(is_superuser=True)
    client = APIClient()
    client.force_authenticate(reader)

    response = relabel(client, customer, "Changed", **{HEADER: boss.public_id})

    assert_problem(response, 403, "Forbidden")


def test_the_schema_documents_the_header_on_writes(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    put = schema["paths"]["/api/customers/{customer_id}"]["put"]
    get = schema["paths"]["/api/customers/{customer_id}"]["get"]

    assert "Requestor-ID" in [p["name"] for p in put["parameters"]]
    assert "Requestor-ID" not in [p["name"] for p in get.get("parameters", [])]


def test_the_admin_history_shows_on_whose_behalf(erp, customer, manager):
    tess = UserFactory(first_name="Tess", last_name="Tech")
    relabel(erp, customer, "Acme Corp", **{HEADER: tess.public_id})

    page = manager.get(f"/admin/customers/customer/{customer.pk}/history/")

    assert f"on behalf of Tess Tech ({tess.public_id})" in page.content.decode()


def test_batches_made_in_bulk_on_behalf_of_someone_say_so(api):
    work_order = make_work_order(cycles=[(4, make_workflow())])
    tess = UserFactory(first_name="Tess", last_name="Tech")
    body = {
        "total": 2,
        "number_cycles": 1,
        "queue": {"queue_id": QueueFactory().public_id},
        "work_order": {"work_order_id": work_order.public_id},
    }

    response = api.patch("/api/batches", body, format="json", **{HEADER: tess.public_id})

    assert_status(response, 204)
    reasons = {record.history_change_reason for record in Batch.history.all()}
    assert reasons == {f"on behalf of Tess Tech ({tess.public_id})"}
