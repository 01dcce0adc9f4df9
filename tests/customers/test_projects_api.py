"""Projects: narrowing their program's statuses, moving, deleting; counters, sub-collections."""

import pytest

from customers.models import Project
from tests.factories import CustomerFactory, ProgramFactory, ProjectFactory
from tests.helpers import assert_status, post_json, put_json

from .vocabulary import BLOCKED, PENDING, VERIFYING, messages, statuses

pytestmark = pytest.mark.django_db


def test_create_project_embeds_program_and_customer(api):
    program = ProgramFactory(allowed_statuses=[PENDING, VERIFYING])

    response = post_json(
        api,
        "/api/projects",
        {
            "label": "New York Stores",
            "description": "Project description",
            "program": {"program_id": program.public_id},
            "allowed_statuses": [PENDING],
        },
    )

    assert_status(response, 200)
    data = response.json()
    assert data["description"] == "Project description"
    assert data["program"]["program_id"] == program.public_id
    assert data["program"]["customer"]["customer_id"] == program.customer.public_id
    assert data["customer"]["customer_id"] == program.customer.public_id
    assert "_links" not in data["program"] and "input_filter" not in data["program"]
    assert statuses(data) == [("Pending", "PENDING")]
    assert set(data["_links"]) == {
        "self",
        "nter:project-program",
        "nter:project-customer",
        "nter:project-work-orders",
        "nter:project-units",
        "nter:relations",
        "nter:diff",
    }
    for link in data["_links"].values():
        assert_status(api.get(link["href"]), 200)


def test_project_statuses_narrow_the_programs_effective_list(api):
    program = ProgramFactory(allowed_statuses=[PENDING, VERIFYING])

    response = post_json(
        api,
        "/api/projects",
        {"label": "X", "program": {"program_id": program.public_id}, "allowed_statuses": [BLOCKED]},
    )

    assert_status(response, 400)
    assert "not allowed by the program" in messages(response)[("subset", ".allowed_statuses")]
    assert not Project.objects.exists()


def test_a_project_inherits_through_an_inheriting_program(api):
    program = ProgramFactory(allowed_statuses=None)

    data = post_json(
        api, "/api/projects", {"label": "X", "program": {"program_id": program.public_id}}
    ).json()

    assert statuses(data) == [
        (s["status"], s["category"]) for s in program.customer.allowed_statuses
    ]
    assert data["description"] is None


def test_moving_a_project_rechecks_its_statuses(api):
    project = ProjectFactory(
        program__allowed_statuses=[PENDING, BLOCKED], allowed_statuses=[BLOCKED]
    )
    narrow = ProgramFactory(customer=project.program.customer, allowed_statuses=[PENDING])

    response = put_json(
        api,
        f"/api/projects/{project.public_id}",
        {"label": "X", "program": {"program_id": narrow.public_id}, "allowed_statuses": [BLOCKED]},
    )

    assert_status(response, 400)
    project.refresh_from_db()
    assert project.program != narrow

    moved = put_json(
        api,
        f"/api/projects/{project.public_id}",
        {"label": "X", "program": {"program_id": narrow.public_id}},
    )
    assert_status(moved, 200)
    assert moved.json()["program"]["program_id"] == narrow.public_id


def test_a_project_needs_a_program(api):
    response = post_json(api, "/api/projects", {"label": "Orphan"})

    assert_status(response, 400)
    assert ("required", ".program") in messages(response)


def test_deleting_a_project(api):
    project = ProjectFactory()

    assert_status(api.delete(f"/api/projects/{project.public_id}"), 205)
    assert not Project.objects.exists()


def test_customer_counters_count_real_rows(api):
    customer = CustomerFactory()
    first, second = ProgramFactory.create_batch(2, customer=customer)
    ProjectFactory.create_batch(3, program=first)
    ProjectFactory(program=second)
    ProgramFactory()  # another customer's

    data = api.get(f"/api/customers/{customer.public_id}").json()

    assert (data["total_programs"], data["total_projects"]) == (2, 4)
    listed = api.get("/api/customers").json()["_embedded"]["nter:customers"]
    assert {c["customer_id"]: (c["total_programs"], c["total_projects"]) for c in listed}[
        customer.public_id
    ] == (2, 4)


def test_sub_collections_hold_only_their_parents_children(api):
    customer = CustomerFactory()
    mine = ProgramFactory(customer=customer)
    ProgramFactory()
    project = ProjectFactory(program=mine)
    ProjectFactory()

    programs = api.get(f"/api/customers/{customer.public_id}/programs").json()
    projects = api.get(f"/api/customers/{customer.public_id}/projects").json()
    program_projects = api.get(f"/api/programs/{mine.public_id}/projects").json()

    assert [p["program_id"] for p in programs["_embedded"]["nter:programs"]] == [mine.public_id]
    assert [p["project_id"] for p in projects["_embedded"]["nter:projects"]] == [project.public_id]
    assert program_projects["_embedded"]["nter:projects"] == projects["_embedded"]["nter:projects"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/customers/nobody/programs",
        "/api/customers/nobody/projects",
        "/api/programs/nope/projects",
    ],
)
def test_sub_collections_of_unknown_parents_are_404(api, url):
    assert_status(api.get(url), 404)


def test_programs_and_projects_have_relations_and_history(api, superuser):
    program_id = post_json(
        api,
        "/api/programs",
        {"label": "P", "customer": {"customer_id": CustomerFactory().public_id}},
    ).json()["program_id"]
    project_id = post_json(
        api, "/api/projects", {"label": "Q", "program": {"program_id": program_id}}
    ).json()["project_id"]

    for path in (f"programs/{program_id}", f"projects/{project_id}"):
        [created] = api.get(f"/api/{path}/relations").json()["_embedded"]["nter:relations"]
        assert (created["relation"], created["entity"]["entity_id"]) == (
            "created",
            superuser.public_id,
        )
        diffs = api.get(f"/api/{path}/diff").json()["_embedded"]["nter:diffs"]
        assert "label" in {d["property"] for d in diffs}
