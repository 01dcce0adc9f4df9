"""Roles over the API, in the docs' shapes: administrators (``tenant:settings``) manage them."""

import pytest

from tests.factories import CustomerFactory, UserFactory
from tests.helpers import (
    assert_problem,
    assert_status,
    client_for,
    client_with,
    post_json,
    put_json,
)
from users.models import Role, RoleHolding

pytestmark = pytest.mark.django_db

AUDITOR = {
    "label": "Auditor",
    "description": "Reads every customer",
    "grants": [
        {"permission": "customer:read-all", "label": "All customers", "match_location": False}
    ],
}


@pytest.fixture
def admin():
    return client_with("tenant:settings", "tenant:read")


def test_an_administrator_creates_a_role_in_the_docs_shape(admin):
    response = post_json(admin, "/api/roles", AUDITOR)

    assert_status(response, 200)
    role = response.json()
    assert {k: role[k] for k in ("label", "description", "grants")} == AUDITOR
    assert role["total_users"] == 0
    assert role["_links"]["nter:role-users"]["href"].endswith(f"/roles/{role['role_id']}/users")
    assert_status(admin.get(f"/api/roles/{role['role_id']}"), 200)


@pytest.mark.parametrize(
    ("changes", "data_path"),
    [
        ({"grants": []}, ".grants"),
        (
            {"grants": [{"permission": "customer:fly", "label": "x", "match_location": False}]},
            ".grants[0].permission",
        ),
        ({"grants": [{"permission": "customer:read", "label": "x"}]}, ".grants[0].match_location"),
        ({"label": ""}, ".label"),
    ],
)
def test_bad_roles_are_problems_that_change_nothing(admin, changes, data_path):
    before = Role.objects.count()

    response = post_json(admin, "/api/roles", {**AUDITOR, **changes})

    problem = assert_problem(response, 400, "Bad Request")
    assert data_path in {m["dataPath"] for m in problem["validation_messages"]}
    assert Role.objects.count() == before


def test_a_label_is_taken_whatever_its_case(admin):
    assert_status(post_json(admin, "/api/roles", AUDITOR), 200)

    assert_problem(post_json(admin, "/api/roles", {**AUDITOR, "label": "AUDITOR"}), 409, "Conflict")


def test_users_take_a_role_everywhere_or_on_an_entity(admin):
    role_id = post_json(admin, "/api/roles", AUDITOR).json()["role_id"]
    ann, bob, customer = UserFactory(), UserFactory(), CustomerFactory()
    url = f"/api/roles/{role_id}/users"

    assert_status(post_json(admin, url, {"user_id": ann.public_id}), 200)
    on_customer = {
        "user_id": bob.public_id,
        "entity": {"entity_type": "CUS", "entity_id": customer.public_id},
    }
    assert_status(post_json(admin, url, on_customer), 200)
    assert_problem(post_json(admin, url, on_customer), 409, "Conflict")
    missing = post_json(admin, url, {"user_id": "nobody"})
    assert_problem(missing, 400, "Bad Request")

    listed = admin.get(url).json()
    assert {u["user_id"] for u in listed["_embedded"]["nter:users"]} == {
        ann.public_id,
        bob.public_id,
    }
    assert admin.get(f"/api/roles/{role_id}").json()["total_users"] == 2
    held = RoleHolding.objects.get(user=bob)
    assert held.entity == customer
    # Ann reads every customer; Bob the one he holds the role on.
    other = CustomerFactory()
    assert_status(client_for(ann).get(f"/api/customers/{other.public_id}"), 200)
    assert_status(client_for(bob).get(f"/api/customers/{other.public_id}"), 404)
    assert_status(client_for(bob).get(f"/api/customers/{customer.public_id}"), 200)


def test_a_held_role_is_locked_from_deletion(admin):
    role_id = post_json(admin, "/api/roles", AUDITOR).json()["role_id"]
    post_json(admin, f"/api/roles/{role_id}/users", {"user_id": UserFactory().public_id})

    assert_problem(admin.delete(f"/api/roles/{role_id}"), 423, "Locked")
    RoleHolding.objects.filter(role__public_id=role_id).delete()
    assert_status(admin.delete(f"/api/roles/{role_id}"), 205)


def test_a_role_is_replaced_with_put(admin):
    role = post_json(admin, "/api/roles", AUDITOR).json()
    role["grants"].append({"permission": "program:read-all", "label": "p", "match_location": True})

    response = put_json(admin, f"/api/roles/{role['role_id']}", role)

    assert_status(response, 200)
    assert len(response.json()["grants"]) == 2


def test_only_administrators_manage_roles():
    manager = client_with("customer:create", "tenant:read")
    reader = client_with("tenant:read")
    nobody = client_with()

    assert_problem(post_json(manager, "/api/roles", AUDITOR), 403, "Forbidden")
    assert_status(reader.get("/api/roles"), 200)
    assert_problem(nobody.get("/api/roles"), 403, "Forbidden")
    assert not Role.objects.filter(label="Auditor").exists()
