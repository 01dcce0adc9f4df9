"""One Niagara, two customers' production managers, a technician: each sees and changes
exactly what the permission graph allows, over the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batches.services import batches_create
from relations.models import RelationType
from relations.services import relation_create
from tests.factories import (
    CustomerFactory,
    LocationFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import (
    assert_problem,
    assert_status,
    client_for,
    client_with,
    holder_of,
    post_json,
    put_json,
)
from users.access import Access
from users.models import Role
from users.services import role_grant

pytestmark = pytest.mark.django_db


def ids(response, key):
    assert_status(response, 200)
    [rows] = response.json()["_embedded"].values()
    return {row[key] for row in rows}


@pytest.fixture
def floor():
    """Acme and Globex share Albany's queue; Maria runs Acme, Greg runs Globex, Tess works
    the one Acme batch she is assigned to."""
    workflow = make_workflow()
    albany = LocationFactory(label="Albany")
    queue = QueueFactory(location=albany)
    shop = {"albany": albany, "queue": queue}
    for name in ("acme", "globex"):
        customer = CustomerFactory(label=name.title())
        project = ProjectFactory(program=ProgramFactory(customer=customer))
        work_order = make_work_order(project=project, cycles=[(30, workflow)])
        batches = batches_create(
            actor=None, work_order=work_order, queue=queue, number_cycles=10, total=3
        )
        shop[name] = {"customer": customer, "work_order": work_order, "batches": batches}
    manager_role = Role.objects.get(label="Production manager")
    for person, customer in (("maria", "acme"), ("greg", "globex")):
        user = UserFactory(username=person)
        role_grant(manager_role, user=user, entity=shop[customer]["customer"])
        role_grant(manager_role, user=user, entity=albany)
        shop[person] = user
    shop["tess"] = UserFactory(username="tess")
    role_grant(Role.objects.get(label="Technician"), user=shop["tess"])
    relation_create(
        subject=shop["tess"], obj=shop["acme"]["batches"][0], relation=RelationType.TECH
    )
    return shop


def test_each_manager_sees_their_customer_alone(floor):
    maria = client_for(floor["maria"])
    acme = floor["acme"]

    customers = maria.get("/api/customers")
    assert ids(customers, "customer_id") == {acme["customer"].public_id}
    assert customers.json()["total_count"] == 1
    assert ids(maria.get("/api/work-orders"), "work_order_id") == {acme["work_order"].public_id}
    assert ids(maria.get("/api/batches"), "batch_id") == {b.public_id for b in acme["batches"]}
    assert ids(maria.get("/api/me/customers"), "customer_id") == {acme["customer"].public_id}
    assert ids(maria.get("/api/me/locations"), "location_id") == {floor["albany"].public_id}
    queue_batches = maria.get(f"/api/queues/{floor['queue'].public_id}/batches")
    assert ids(queue_batches, "batch_id") == {b.public_id for b in acme["batches"]}


def test_what_a_manager_may_not_read_is_not_found_everywhere(floor):
    maria = client_for(floor["maria"])
    globex = floor["globex"]
    customer, work_order = globex["customer"].public_id, globex["work_order"].public_id
    batch = globex["batches"][0].public_id

    for url in (
        f"/api/customers/{customer}",
        f"/api/customers/{customer}/programs",
        f"/api/customers/{customer}/relations",
        f"/api/customers/{customer}/diff",
        f"/api/work-orders/{work_order}",
        f"/api/work-orders/{work_order}/batches",
        f"/api/batches/{batch}",
        f"/api/batches/{batch}/cycles",
    ):
        assert_problem(maria.get(url), 404, "Not Found")
    assert_problem(
        put_json(maria, f"/api/customers/{customer}", {"label": "Mine"}), 404, "Not Found"
    )
    assert_status(maria.delete(f"/api/batches/{batch}"), 404)


def test_relations_to_what_a_manager_may_not_read_are_not_listed(floor):
    acme, globex = floor["acme"]["customer"], floor["globex"]["customer"]
    relation_create(subject=acme, obj=globex, relation=RelationType.COLLABORATOR)
    relation_create(subject=acme, obj=floor["albany"], relation=RelationType.COLLABORATOR)
    url = f"/api/customers/{acme.public_id}/relations"

    listed = client_for(floor["maria"]).get(url).json()["_embedded"]["nter:relations"]
    others = {row["entity"]["entity_id"] for row in listed}
    assert floor["albany"].public_id in others and globex.public_id not in others
    # The same list, for a superuser, shows both.
    everything = client_for(UserFactory(is_superuser=True)).get(url).json()
    assert globex.public_id in {
        r["entity"]["entity_id"] for r in everything["_embedded"]["nter:relations"]
    }


def test_a_manager_changes_their_customer_and_creates_under_it_alone(floor):
    maria = client_for(floor["maria"])
    acme, globex = floor["acme"]["customer"], floor["globex"]["customer"]
    fetched = maria.get(f"/api/customers/{acme.public_id}").json()

    assert_status(put_json(maria, f"/api/customers/{acme.public_id}", fetched), 200)
    mine = {"label": "Kiosks", "customer": {"customer_id": acme.public_id}}
    assert_status(post_json(maria, "/api/programs", mine), 200)
    theirs = {"label": "Kiosks", "customer": {"customer_id": globex.public_id}}
    refused = post_json(maria, "/api/programs", theirs)
    assert_status(refused, 400)  # a customer one may not read is answered as a missing one
    # Creating customers is not the manager's to do anywhere but under their customer.
    new = {"label": "New", "allowed_statuses": fetched["allowed_statuses"]}
    assert_problem(post_json(maria, "/api/customers", new), 403, "Forbidden")


def test_a_technician_sees_the_batches_they_are_assigned_to_and_steps_their_cycles(floor):
    tess = client_for(floor["tess"])
    mine, other = floor["acme"]["batches"][0], floor["acme"]["batches"][1]

    assert ids(tess.get("/api/batches"), "batch_id") == {mine.public_id}
    assert_status(tess.get(f"/api/batches/{other.public_id}"), 404)
    assert ids(tess.get("/api/customers"), "customer_id") == set()
    batch = tess.get(f"/api/batches/{mine.public_id}").json()
    # Her batch does not show her what she may not read: its work order, its customer.
    assert batch["work_order"] is None
    assert "nter:batch-customer" not in batch["_links"]
    cycles = tess.get(f"/api/batches/{mine.public_id}/cycles").json()
    cycle_id = cycles["_embedded"]["nter:work-order-cycles"][0]["cycle_id"]
    stepped = tess.patch(
        f"/api/cycles/{cycle_id}",
        {"current_status": {"status": "In Progress", "category": "IN_PROGRESS"}},
        format="json",
    )
    assert_status(stepped, 200)
    assert_problem(put_json(tess, f"/api/batches/{mine.public_id}", batch), 403, "Forbidden")


def test_a_grant_on_a_sibling_customer_reads_nothing_here(floor):
    acme, globex = floor["acme"]["customer"], floor["globex"]["customer"]
    client = client_with("customer:read", "work-order:read", on=globex)

    assert_status(client.get(f"/api/customers/{acme.public_id}"), 404)
    assert_status(client.get(f"/api/work-orders/{floor['acme']['work_order'].public_id}"), 404)
    assert_status(client.get(f"/api/customers/{globex.public_id}"), 200)


def test_customer_create_on_a_customer_chains_to_program_create_under_it():
    customer = CustomerFactory()
    body = {"label": "Kiosks", "customer": {"customer_id": customer.public_id}}

    # ``customer:create`` grants ``program:create`` to what is below the customer, and
    # creating a program requires ``customer:read`` (which ``customer:create`` does not grant).
    chained = client_with("customer:create", "customer:read", on=customer)
    assert_status(post_json(chained, "/api/programs", body), 200)
    # Without ``customer:read`` the customer is not theirs to name: a missing reference.
    without_read = client_with("customer:create", on=customer)
    refused = post_json(without_read, "/api/programs", body)
    assert_status(refused, 400)
    assert refused.json()["validation_messages"][0]["dataPath"] == ".customer.customer_id"


def test_lists_cost_the_same_queries_whatever_the_page_size(floor):
    maria = client_for(floor["maria"])
    extra = floor["acme"]["work_order"]
    more = make_work_order(project=extra.project, cycles=[(40, make_workflow())])
    batches_create(actor=None, work_order=more, queue=floor["queue"], number_cycles=10, total=4)

    counts = []
    for limit in (2, 7):
        with CaptureQueriesContext(connection) as queries:
            assert_status(maria.get(f"/api/batches?limit={limit}"), 200)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_list_filter_and_the_single_check_agree(floor, people=("maria", "greg", "tess")):
    # The graph is written twice (a filter for lists, a check for one entity): for every
    # person and every entity of the shop, both give the same answer.
    from batches.models import Batch
    from customers.models import Customer, Program, Project
    from queues.models import Location, Queue
    from workorders.models import WorkOrder

    for person in people:
        access = Access(floor[person])
        for model in (Customer, Program, Project, WorkOrder, Batch, Location, Queue):
            visible = set(access.visible(model.objects.all()).values_list("pk", flat=True))
            for entity in model.objects.all():
                assert access.can_read(entity) == (entity.pk in visible), (person, entity)


def test_a_grant_matching_the_location_holds_where_the_user_is(floor):
    # Luis reads Acme's work orders; batches, queues and locations he reads by a grant held
    # everywhere that matches the location: at the locations he is at alone.
    boston = QueueFactory(location=LocationFactory(label="Boston"))
    acme = floor["acme"]
    work_order = make_work_order(project=acme["work_order"].project, cycles=[(5, make_workflow())])
    [far] = batches_create(actor=None, work_order=work_order, queue=boston, number_cycles=1)
    luis = holder_of("work-order:read", on=acme["customer"], user=UserFactory(username="luis"))
    at_location = ["batch:read", "queue:read", "location:read"]
    role = Role.objects.create(
        label="Floor reader",
        grants=[{"permission": n, "label": n, "match_location": True} for n in at_location],
    )
    role_grant(role, user=luis)
    relation_create(subject=luis, obj=floor["albany"], relation=RelationType.TECH)
    client = client_for(luis)

    seen = ids(client.get("/api/batches"), "batch_id")
    assert seen == {b.public_id for b in acme["batches"]}
    assert_status(client.get(f"/api/batches/{far.public_id}"), 404)
    assert ids(client.get("/api/queues"), "queue_id") == {floor["queue"].public_id}
    # Away from Albany the grant is not in force: Boston's queue is not his to see.
    assert_status(client.get(f"/api/queues/{boston.public_id}"), 404)
    floor["luis"] = luis
    test_the_list_filter_and_the_single_check_agree(floor, people=("luis",))
