"""The floor's two roles: shipped as groups, given in one step by a command or the admin."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from batches.models import Cycle
from batches.services import batches_create
from relations.models import RelationType
from relations.services import relation_create
from tests.factories import QueueFactory, make_work_order, make_workflow
from tests.helpers import changeform_data
from users.models import User

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_roles_are_shipped_as_groups():
    technician = Group.objects.get(name="Technician")
    manager = Group.objects.get(name="Production manager")
    tech_perms = {p.codename for p in technician.permissions.all()}
    manager_perms = {f"{p.content_type.app_label}.{p.codename}" for p in manager.permissions.all()}

    assert {"view_cycle", "change_cycle", "view_batch", "view_queue"} <= tech_perms
    assert not {"delete_batch", "change_batch", "add_user", "view_customer"} & tech_perms
    assert {"batches.add_batch", "customers.change_customer", "users.view_user"} <= manager_perms
    assert not {"users.add_user", "users.change_user", "auth.change_group"} & manager_perms


@pytest.fixture
def cycle():
    work_order = make_work_order(cycles=[(5, make_workflow())])
    [batch] = batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=5
    )
    return batch.cycles.first()


def test_a_technician_made_by_the_command_runs_cycles_and_nothing_else(client, cycle):
    output = run("create_user", "tess", "--role", "technician", "--password", "s3cret-Pass!")
    assert "Created technician tess." in output
    assert client.login(username="tess", password="s3cret-Pass!")
    url = f"/admin/batches/cycle/{cycle.pk}/change/"
    # Not assigned to the batch yet: its cycles are not hers to see.
    assert client.get(url).status_code == 302  # "doesn't exist", back to the index
    relation_create(
        subject=User.objects.get(username="tess"), obj=cycle.batch, relation=RelationType.TECH
    )

    url = f"/admin/batches/cycle/{cycle.pk}/change/"
    response = client.post(
        url, {**changeform_data(client.get(url)), "current_status": "In Progress"}
    )

    assert response.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).category == "IN_PROGRESS"
    assert client.get("/admin/batches/cycle/").status_code == 200
    assert client.get("/admin/customers/customer/").status_code == 403
    assert client.get(f"/admin/batches/batch/{cycle.batch_id}/delete/").status_code == 403


def test_the_command_refuses_a_taken_name():
    run("create_user", "mo", "--role", "manager")

    with pytest.raises(CommandError, match="already exists"):
        run("create_user", "mo")
    assert list(User.objects.get(username="mo").groups.values_list("name", flat=True)) == [
        "Production manager"
    ]


def test_the_admin_makes_a_production_manager_in_one_step(manager):
    response = manager.post(
        "/admin/users/user/add/",
        {
            "username": "pat",
            "usable_password": "true",
            "password1": "An0ther-Pass!",
            "password2": "An0ther-Pass!",
            "role": "manager",
        },
    )

    assert response.status_code == 302
    pat = User.objects.get(username="pat")
    assert pat.is_staff and pat.has_perm("batches.add_batch") and not pat.has_perm("users.add_user")
