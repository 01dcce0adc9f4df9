"""Programs: the customer's tree, narrowing its status vocabulary level by level."""

import pytest

from customers.models import Customer, Program
from tests.factories import CustomerFactory, ProgramFactory, ProjectFactory
from tests.helpers import assert_status, post_json, put_json

from .vocabulary import BLOCKED, PENDING, VERIFYING, messages, statuses

pytestmark = pytest.mark.django_db


def test_create_program_embeds_its_customer(api):
    customer = CustomerFactory()

    response = post_json(
        api,
        "/api/programs",
        {
            "label": "North east stores",
            "customer": {"customer_id": customer.public_id},
            "start_date": "2020-02-10T22:12:03.000Z",
            "end_date": "2020-03-10T22:12:03Z",
            "allowed_statuses": [PENDING, VERIFYING],
        },
    )

    assert_status(response, 200)
    data = response.json()
    assert data["label"] == "North east stores"
    assert data["customer"]["customer_id"] == customer.public_id
    assert data["customer"]["allowed_statuses"] == customer.allowed_statuses
    assert "_links" not in data["customer"], "embedded objects are the seeds' shape"
    assert data["customer"]["total_programs"] == 1
    assert data["start_date"] == "2020-02-10T22:12:03Z"
    assert statuses(data) == [("Pending", "PENDING"), ("Verifying", "VERIFYING")]
    # Omitted descriptions and orders come from the customer's matching statuses.
    assert data["allowed_statuses"][1]["description"] == "For something that is Verifying"
    assert data["allowed_statuses"][1]["order"] == 3
    assert data["input_filter"] == []
    program_id = data["program_id"]
    assert data["_links"] == {
        "self": {"href": f"http://testserver/api/programs/{program_id}"},
        "nter:program-customer": {"href": f"http://testserver/api/customers/{customer.public_id}"},
        "nter:program-projects": {"href": f"http://testserver/api/programs/{program_id}/projects"},
        "nter:program-work-orders": {
            "href": f"http://testserver/api/programs/{program_id}/work-orders"
        },
        "nter:relations": {"href": f"http://testserver/api/programs/{program_id}/relations"},
        "nter:diff": {"href": f"http://testserver/api/programs/{program_id}/diff"},
    }
    for link in data["_links"].values():
        assert_status(api.get(link["href"]), 200)


def test_a_program_without_statuses_inherits_and_follows_its_customer(api):
    customer = CustomerFactory()
    program_id = post_json(
        api, "/api/programs", {"label": "All", "customer": {"customer_id": customer.public_id}}
    ).json()["program_id"]

    assert statuses(api.get(f"/api/programs/{program_id}").json()) == [
        (s["status"], s["category"]) for s in customer.allowed_statuses
    ]
    put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {"label": customer.label, "allowed_statuses": [PENDING, BLOCKED]},
    )
    assert statuses(api.get(f"/api/programs/{program_id}").json()) == [
        ("Pending", "PENDING"),
        ("Blocked", "BLOCKED"),
    ]


@pytest.mark.parametrize(
    "wanted",
    [
        [{"status": "Shipped", "category": "COMPLETE"}],
        [{"status": "Pending", "category": "BLOCKED"}],
    ],
)
def test_program_statuses_must_be_a_subset_of_the_customers(api, wanted):
    customer = CustomerFactory()

    response = post_json(
        api,
        "/api/programs",
        {"label": "X", "customer": {"customer_id": customer.public_id}, "allowed_statuses": wanted},
    )

    assert_status(response, 400)
    assert ("subset", ".allowed_statuses") in messages(response)
    assert "not allowed by the customer" in messages(response)[("subset", ".allowed_statuses")]
    assert not Program.objects.exists()


def test_status_labels_match_whatever_their_case(api):
    customer = CustomerFactory()

    response = post_json(
        api,
        "/api/programs",
        {
            "label": "X",
            "customer": {"customer_id": customer.public_id},
            "allowed_statuses": [{"status": "pending", "category": "PENDING"}],
        },
    )

    assert_status(response, 200)


@pytest.mark.parametrize(
    ("body", "keyword", "data_path"),
    [
        ({"customer": None}, "type", ".customer"),
        ({"customer": "abc"}, "type", ".customer"),
        ({"customer": {}}, "required", ".customer.customer_id"),
        ({"customer": {"customer_id": "no such"}}, "pattern", ".customer.customer_id"),
        ({"customer": {"customer_id": "missing"}}, "exists", ".customer.customer_id"),
        ({"customer": {"customer_id": 7}}, "type", ".customer.customer_id"),
        ({"label": 3}, "type", ".label"),
        ({"start_date": 20200210}, "type", ".start_date"),
        ({"start_date": "yesterday"}, "format", ".start_date"),
        (
            {"start_date": "2020-03-01T00:00:00Z", "end_date": "2020-02-01T00:00:00Z"},
            "dateOrder",
            ".end_date",
        ),
        ({"allowed_statuses": []}, "minItems", ".allowed_statuses"),
        (
            {"allowed_statuses": [{"status": "Pending"}]},
            "required",
            ".allowed_statuses[0].category",
        ),
        ({"colour": "red"}, "additionalProperties", ".colour"),
    ],
)
def test_invalid_program_bodies_are_400_and_store_nothing(api, body, keyword, data_path):
    customer = CustomerFactory()
    payload = {"label": "P", "customer": {"customer_id": customer.public_id}, **body}

    response = post_json(api, "/api/programs", payload)

    assert_status(response, 400)
    assert (keyword, data_path) in messages(response), response.json()
    assert not Program.objects.exists()


def test_a_customer_the_caller_may_not_view_is_a_missing_reference(client_with_perms):
    customer, their_own = CustomerFactory(), CustomerFactory()
    client = client_with_perms("program:create", on=their_own)

    response = post_json(
        client, "/api/programs", {"label": "P", "customer": {"customer_id": customer.public_id}}
    )

    assert_status(response, 400)
    assert ("exists", ".customer.customer_id") in messages(response)


def test_put_replaces_a_program_and_can_move_it(api):
    program = ProgramFactory(allowed_statuses=[PENDING | {"description": None, "order": 1}])
    other = CustomerFactory()
    fetched = api.get(f"/api/programs/{program.public_id}").json()
    fetched.update(label="Moved", customer={"customer_id": other.public_id})
    del fetched["allowed_statuses"]

    response = put_json(api, f"/api/programs/{program.public_id}", fetched)

    assert_status(response, 200)
    program.refresh_from_db()
    assert (program.label, program.customer, program.allowed_statuses) == ("Moved", other, None)


def test_moving_a_program_rechecks_its_statuses(api):
    program = ProgramFactory(allowed_statuses=[BLOCKED])
    other = CustomerFactory(allowed_statuses=[PENDING])

    response = put_json(
        api,
        f"/api/programs/{program.public_id}",
        {"label": "P", "customer": {"customer_id": other.public_id}, "allowed_statuses": [BLOCKED]},
    )

    assert_status(response, 400)
    program.refresh_from_db()
    assert program.customer != other


def test_deleting_a_program_with_projects_is_locked(api):
    project = ProjectFactory()

    response = api.delete(f"/api/programs/{project.program.public_id}")

    assert_status(response, 423)
    assert "projects" in response.json()["detail"]
    assert Program.objects.filter(pk=project.program.pk).exists()


def test_deleting_an_empty_program(api):
    program = ProgramFactory()

    assert_status(api.delete(f"/api/programs/{program.public_id}"), 205)
    assert not Program.objects.exists()


def test_deleting_a_customer_with_programs_is_locked(api):
    program = ProgramFactory()

    response = api.delete(f"/api/customers/{program.customer.public_id}")

    assert_status(response, 423)
    assert Customer.objects.filter(pk=program.customer.pk).exists()


# Status removal in use -----------------------------------------------------------------------


def test_a_customer_cannot_drop_a_status_a_program_uses(api):
    program = ProgramFactory(label="North east", allowed_statuses=[PENDING, BLOCKED])
    customer = program.customer
    before = list(customer.allowed_statuses)

    response = put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {"label": customer.label, "allowed_statuses": [PENDING, VERIFYING]},
    )

    assert_status(response, 409)
    message = messages(response)[("inUse", ".allowed_statuses")]
    assert '"Blocked" (BLOCKED)' in message and '"North east"' in message
    assert program.public_id in message
    customer.refresh_from_db()
    assert customer.allowed_statuses == before


def test_a_customer_cannot_drop_a_status_a_project_below_an_inheriting_program_uses(api):
    project = ProjectFactory(
        label="NYC", program__allowed_statuses=None, allowed_statuses=[BLOCKED]
    )
    customer = project.program.customer

    response = put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {"label": customer.label, "allowed_statuses": [PENDING]},
    )

    assert_status(response, 409)
    assert 'project "NYC"' in messages(response)[("inUse", ".allowed_statuses")]


def test_a_customer_may_drop_a_status_nobody_uses(api):
    ProgramFactory(allowed_statuses=[PENDING])
    customer = Customer.objects.get()

    response = put_json(
        api,
        f"/api/customers/{customer.public_id}",
        {"label": customer.label, "allowed_statuses": [PENDING, VERIFYING]},
    )

    assert_status(response, 200)


def test_a_program_cannot_drop_a_status_its_project_uses(api):
    project = ProjectFactory(
        program__allowed_statuses=[PENDING, BLOCKED], allowed_statuses=[BLOCKED]
    )
    program = project.program

    response = put_json(
        api,
        f"/api/programs/{program.public_id}",
        {
            "label": program.label,
            "customer": {"customer_id": program.customer.public_id},
            "allowed_statuses": [PENDING],
        },
    )

    assert_status(response, 409)
    assert project.label in messages(response)[("inUse", ".allowed_statuses")]


# Projects ------------------------------------------------------------------------------------


# Collections and counters --------------------------------------------------------------------
