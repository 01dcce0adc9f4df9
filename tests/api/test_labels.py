"""Labels (seed 004): up to 16 user-defined labels on customers, programs, projects, work orders
and batches; ``filter[labels]=a,b`` lists the entities having all of them; the admin edits
them as tags (comma-separated text underneath) and filters its lists by them."""

import json

import pytest
from django.db import connection

from batches.models import Batch
from batches.services import batches_create
from customers.models import Customer
from tests.factories import (
    CustomerFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import assert_problem, assert_status, changeform_data, post_json, put_json
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

MERGE = "application/merge-patch+json"
STATUSES = [{"status": "Pending", "category": "PENDING"}]


def labelled(api, url, labels: str) -> list[str]:
    response = api.get(url, {"filter[labels]": labels})
    assert_status(response, 200)
    [items] = response.json()["_embedded"].values()
    return [item["label"] for item in items]


def test_labels_are_written_read_merged_and_cleared(api):
    made = post_json(
        api,
        "/api/customers",
        {"label": "Acme", "allowed_statuses": STATUSES, "labels": ["retail", "q4-rollout"]},
    )
    assert_status(made, 200)  # the docs: a created customer is a 200
    url = f"/api/customers/{made.json()['customer_id']}"
    assert api.get(url).json()["labels"] == ["retail", "q4-rollout"]

    merged = api.patch(url, json.dumps({"labels": ["retail", "priority:high"]}), content_type=MERGE)
    assert merged.json()["labels"] == ["retail", "priority:high"]

    body = {key: value for key, value in merged.json().items() if key != "labels"}
    cleared = put_json(api, url, body)  # a PUT without labels: none
    assert cleared.json()["labels"] == []


@pytest.mark.parametrize(
    "labels",
    [
        ["Retail"],  # lowercase only
        ["two words"],
        ["-leading-dash"],
        ["x" * 41],
        [f"l{i}" for i in range(17)],
        ["same", "same"],
        [7],
        "retail",
    ],
)
def test_bad_labels_are_a_400_naming_the_field_and_change_nothing(api, labels):
    customer = CustomerFactory(label="Acme", labels=["kept"])
    url = f"/api/customers/{customer.public_id}"

    response = api.patch(url, json.dumps({"labels": labels}), content_type=MERGE)

    problem = assert_problem(response, 400, "Bad Request")
    assert any(m["dataPath"].startswith(".labels") for m in problem["validation_messages"])
    assert Customer.objects.get(pk=customer.pk).labels == ["kept"]


def test_every_labelled_list_filters_by_all_the_labels_given(api):
    CustomerFactory(label="Both", labels=["retail", "east"])
    CustomerFactory(label="Retail only", labels=["retail"])
    CustomerFactory(label="None")
    program = ProgramFactory(label="Programme", labels=["east", "retail", "x"])
    ProgramFactory(label="Other programme", labels=["east"])
    ProjectFactory(program=program, label="Project", labels=["retail", "east"])
    work_order = make_work_order(cycles=[(4, make_workflow())])
    WorkOrder.objects.filter(pk=work_order.pk).update(labels=["east", "retail"])
    queue = QueueFactory()
    batches_create(
        actor=None,
        work_order=work_order,
        queue=queue,
        number_cycles=1,
        label="Tagged",
        labels=["retail", "east"],
    )
    batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=1, label="Plain")

    assert labelled(api, "/api/customers", "retail,east") == ["Both"]
    assert labelled(api, "/api/customers", "retail") == ["Both", "Retail only"]
    assert labelled(api, "/api/programs", "east, retail") == ["Programme"]
    assert labelled(api, "/api/projects", "retail,east") == ["Project"]
    assert labelled(api, "/api/work-orders", "retail,east") == [work_order.label]
    assert labelled(api, "/api/batches", "east,retail") == ["Tagged"]
    assert labelled(api, "/api/batches", "retail,west") == []


@pytest.mark.parametrize("query", ["Retail", ",", "a," + ",".join(f"l{i}" for i in range(16))])
def test_a_malformed_label_filter_is_a_400(api, query):
    response = api.get("/api/customers", {"filter[labels]": query})

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["dataPath"] == ".filter[labels]"


def test_batches_made_together_share_their_labels(api):
    work_order = make_work_order(cycles=[(4, make_workflow())])
    queue = QueueFactory()
    body = {
        "total": 2,
        "number_cycles": 2,
        "queue": {"queue_id": queue.public_id},
        "work_order": {"work_order_id": work_order.public_id},
        "labels": ["rush"],
    }

    response = api.patch("/api/batches", body, format="json")

    assert_status(response, 204)
    assert [batch.labels for batch in Batch.objects.all()] == [["rush"], ["rush"]]


def test_the_admin_edits_labels_as_text_and_refuses_bad_ones(manager):
    customer = CustomerFactory(label="Acme")
    url = f"/admin/customers/customer/{customer.pk}/change/"
    page = manager.get(url)
    assert b"niagara/labels.js" in page.content

    saved = manager.post(url, {**changeform_data(page), "labels": "retail, East-2 ,retail"})
    refused = manager.post(url, {**changeform_data(page), "labels": "retail, East 2"})

    assert_status(saved, 302)
    assert_status(refused, 200)
    assert "is not a label" in refused.context["adminform"].form.errors["labels"][0]
    customer.refresh_from_db()
    assert customer.labels == ["retail", "east-2"]


def test_the_admin_lists_filter_by_label(manager):
    CustomerFactory(label="Tagged", labels=["retail"])
    CustomerFactory(label="Untagged")

    page = manager.get("/admin/customers/customer/", {"label": "retail"})

    shown = [str(row) for row in page.context["cl"].result_list]
    assert shown == ["Tagged"]
    assert "?label=retail" in page.content.decode()  # offered as a choice


@pytest.mark.parametrize("kind", ["customer", "program", "project", "work order", "batch"])
def test_every_labelled_entity_has_the_tag_field_and_the_filter_in_the_admin(manager, kind):
    work_order = make_work_order(cycles=[(2, make_workflow())])
    [batch] = batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=1
    )
    obj = {
        "customer": CustomerFactory(),
        "program": ProgramFactory(),
        "project": work_order.project,
        "work order": work_order,
        "batch": batch,
    }[kind]
    obj.labels = ["x1"]
    obj.save()
    base = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"

    change = manager.get(f"{base}{obj.pk}/change/").content.decode()
    listing = manager.get(base, {"label": "x1"})

    assert 'class="vTextField niagara-labels"' in change
    assert 'value="x1"' in change
    assert obj.pk in [row.pk for row in listing.context["cl"].result_list]


def test_postgresql_indexes_every_labelled_table_for_the_filter():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL index (SQLite scans)")
    tables = ["customers_customer", "customers_program", "customers_project"]
    tables += ["workorders_workorder", "batches_batch"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_labels_gin"])
        found = {name for (name,) in cursor.fetchall()}

    assert found == {f"{table}_labels_gin" for table in tables}
