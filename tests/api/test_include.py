"""``include=`` on single-entity fetches (seed 003): the first page of named sub-collections in
``_embedded``, as their own lists show them to the caller, bounded, one query each; an unknown
name is a 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batches.services import batches_create
from customers.models import Program
from customers.services import ContactFields, contact_attach
from niagara.api.includes import INCLUDED_ITEMS
from tests.factories import (
    CustomerFactory,
    ProgramFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_problem, assert_status, client_for, holder_of

pytestmark = pytest.mark.django_db


def listed(client, url) -> list[dict]:
    response = client.get(url)
    assert_status(response, 200)
    [items] = response.json()["_embedded"].values()
    return items


def test_a_customer_embeds_its_programs_and_contacts_as_their_lists_show_them(api):
    customer = CustomerFactory()
    for i in range(3):
        ProgramFactory(customer=customer, label=f"Program {i}")
    contact_attach(
        actor=None,
        customer=customer,
        fields=ContactFields(label="Buyer", name="Bea", email="bea@example.com"),
    )
    url = f"/api/customers/{customer.public_id}"

    response = api.get(url, {"include": "programs, contacts"})

    assert_status(response, 200)
    embedded = response.json()["_embedded"]
    assert set(embedded) == {"nter:customer-programs", "nter:customer-contacts"}
    assert embedded["nter:customer-programs"] == listed(api, f"{url}/programs")
    assert embedded["nter:customer-contacts"] == listed(api, f"{url}/contacts")
    assert [p["label"] for p in embedded["nter:customer-programs"]] == [
        "Program 0",
        "Program 1",
        "Program 2",
    ]
    assert "_embedded" not in api.get(url).json()  # nothing asked, nothing embedded


def test_an_included_collection_is_its_first_page_at_a_cost_independent_of_its_size(api):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.public_id}"

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert_status(api.get(url, params), 200)
        return len(captured)

    ProgramFactory(customer=customer)
    few = queries(include="programs")
    Program.objects.bulk_create(
        [Program(customer=customer, label=f"P{i:02}") for i in range(INCLUDED_ITEMS + 5)]
    )

    assert queries(include="programs") == few
    # Contacts render from their own rows: exactly one query (no count, no parent lookup).
    assert queries(include="contacts") == queries() + 1
    page = api.get(url, {"include": "programs"}).json()["_embedded"]["nter:customer-programs"]
    assert len(page) == INCLUDED_ITEMS
    assert page == listed(api, f"{url}/programs?limit={INCLUDED_ITEMS}")


@pytest.mark.parametrize("include", ["programs,batches", "nothing", ",", "PROGRAMS"])
def test_an_unknown_name_is_a_400_naming_what_can_be_included(api, include):
    customer = CustomerFactory()

    response = api.get(f"/api/customers/{customer.public_id}", {"include": include})

    problem = assert_problem(response, 400, "Bad Request")
    [message] = problem["validation_messages"]
    assert message["dataPath"] == ".include"
    assert "programs" in message["params"]["allowedValues"]


def test_include_is_for_fetching_one_entity_not_lists(api):
    response = api.get("/api/customers", {"include": "programs"})

    assert_problem(response, 400, "Bad Request")


def test_a_work_order_keeps_its_single_objects_beside_its_batches(api):
    work_order = make_work_order(cycles=[(4, make_workflow())])
    batches_create(actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=2)
    url = f"/api/work-orders/{work_order.public_id}"

    embedded = api.get(url, {"include": "batches,notes"}).json()["_embedded"]

    assert embedded["nter:work-order-project"][0]["project_id"] == work_order.project.public_id
    assert embedded["nter:work-order-batches"] == listed(api, f"{url}/batches")
    assert embedded["nter:work-order-notes"] == []


def test_a_reader_gets_only_what_its_lists_would_show(db):
    customer = CustomerFactory()
    mine = ProgramFactory(customer=customer, label="Mine")
    ProgramFactory(customer=customer, label="Not mine")
    reader = holder_of("customer:read", on=customer)
    holder_of("program:read", on=mine, user=reader)
    client = client_for(reader)
    url = f"/api/customers/{customer.public_id}"

    embedded = client.get(url, {"include": "programs"}).json()["_embedded"]

    assert embedded["nter:customer-programs"] == listed(client, f"{url}/programs")


def test_the_schema_documents_include_on_fetches(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    fetch = schema["paths"]["/api/customers/{customer_id}"]["get"]
    [include] = [p for p in fetch["parameters"] if p["name"] == "include"]

    for name in ("programs", "projects", "contacts", "work-orders", "parts", "units"):
        assert name in include["schema"]["pattern"]
    assert str(INCLUDED_ITEMS) in include["description"]
