"""The shop's people and roles: their history, diffs and relations (e-mail addresses, who made
whom a superuser) are for those who administer users (``tenant:settings``) — not a
technician, a location reader, a ``customer:read`` token, nor a production manager, even one
holding the role everywhere. Everyone still reads their own ``/me``."""

import re

import pytest
from django.test import Client

from tests.factories import LocationFactory, UserFactory
from tests.helpers import assert_status, client_for, holder_of
from tests.users.test_api_clients import bearer, run, token_for
from users.models import Role
from users.roles import FloorRole
from users.services import role_grant, user_set_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    target = UserFactory(username="olga", email="olga@example.com")
    target.email = "olga.new@example.com"
    target.save()  # a change in her history
    technician = UserFactory(username="tess")
    user_set_role(technician, role=FloorRole.TECHNICIAN)
    manager = UserFactory(username="mona")
    role_grant(Role.objects.get(label="Production manager"), user=manager)  # everywhere
    location_reader = holder_of("location:read", on=LocationFactory())
    administrator = holder_of("tenant:settings")
    output = run("create_api_client", "Reader", "--user", manager.username)
    client_id = re.search(r"client_id:\s+(\S+)", output).group(1)
    secret = re.search(r"client_secret:\s+(\S+)", output).group(1)
    token = token_for({"client_id": client_id, "secret": secret}, scope="customer:read")
    return {
        "root": root,
        "target": target,
        "role": Role.objects.get(label="Technician"),
        "technician": client_for(technician),
        "manager": client_for(manager),
        "location reader": client_for(location_reader),
        "customer:read token": bearer(token["access_token"]),
        "administrator": client_for(administrator),
        "superuser": client_for(root),
        "users": {"technician": technician, "manager": manager},
    }


def urls(people) -> list[str]:
    user, role = people["target"].public_id, people["role"].public_id
    return [
        f"/api/users/{user}/diff",
        f"/api/users/{user}/relations",
        f"/api/roles/{role}/diff",
        f"/api/roles/{role}/relations",
    ]


@pytest.mark.parametrize("who", ["technician", "manager", "location reader", "customer:read token"])
def test_people_and_roles_history_is_not_found_for_non_administrators(people, who):
    client = people[who]
    for url in urls(people):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"olga" not in response.content


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_administrators_read_people_and_roles_history(people, who):
    client = people[who]
    for url in urls(people):
        assert_status(client.get(url), 200)
    emails = client.get(urls(people)[0]).content.decode()
    assert "olga.new@example.com" in emails


def test_everyone_reads_their_own_profile(people):
    for who in ("technician", "manager"):
        me = people[who].get("/api/me")
        assert_status(me, 200)
        assert me.json()["user_id"] == people["users"][who].public_id


def test_the_admin_keeps_people_history_for_administrators(people):
    manager = people["users"]["manager"]
    manager.is_staff = True
    manager.save()
    client = Client()
    client.force_login(manager)
    target = people["target"]

    assert client.get(f"/admin/users/user/{target.pk}/history/").status_code == 403
    assert client.get(f"/admin/users/role/{people['role'].pk}/history/").status_code == 403
    root = Client()
    root.force_login(people["root"])
    assert root.get(f"/admin/users/user/{target.pk}/history/").status_code == 200
