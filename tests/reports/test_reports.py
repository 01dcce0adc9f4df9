"""Reports and metrics against a small known floor, as a manager of one customer beside
another's: what they ask for in the order asked, their customer's rows only, the CSV whole."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from batches.models import Batch, BatchTally, Cycle
from tests.helpers import assert_status, client_for, patch_json, post_json

pytestmark = pytest.mark.django_db

FIELDS = [
    "batch_label",
    "batch_id",
    "batch_cycles_pending",
    "batch_cycles_complete",
    "work_order_id",
]


def report(client, **extra):
    body = {
        "base_entity": "BAT",
        "core_fields": {
            "fields": FIELDS,
            "query": [],
            "aliases": [{"key": "batch_label", "alias": "Batch"}],
        },
        **extra,
    }
    return post_json(client, "/api/reports", body)


def test_a_batch_report_has_the_asked_columns_and_the_customers_batches_only(floors):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    made = report(maria)
    assert_status(made, 201)
    body = made.json()
    assert [c["key"] for c in body["header"]] == FIELDS
    assert body["header"][0]["label"] == "Batch"
    mine = Batch.objects.filter(work_order__project__program__customer=acme["customer"]).order_by(
        "id"
    )
    assert [row[1] for row in body["data"]] == [b.public_id for b in mine]
    for row, batch in zip(body["data"], mine, strict=True):
        tally = BatchTally.objects.get(batch=batch)
        assert row[2:] == [tally.pending, tally.complete, batch.work_order.public_id]

    download = maria.get(f"/api/reports/{body['report_id']}/download")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert lines[0] == ["Batch", "Batch id", "Cycles pending", "Cycles complete", "Work order id"]
    assert [line[1] for line in lines[1:]] == [b.public_id for b in mine]
    # Another person's report is not found.
    greg = client_for(floors["globex"].manager)
    assert_status(greg.get(f"/api/reports/{body['report_id']}/download"), 404)
    assert_status(greg.get(f"/api/reports/{body['report_id']}"), 404)


def test_a_query_keeps_the_matching_rows(floors):
    acme = floors["acme"]
    batch = acme["batches"][1]
    made = report(
        client_for(acme.manager),
        core_fields={
            "fields": ["batch_id"],
            "query": [
                {
                    "field": "work_order_id",
                    "operators": "equals",
                    "operand": acme["work_order"].public_id,
                },
                {"field": "batch_label", "operators": "equals", "operand": batch.label},
            ],
        },
    )
    assert_status(made, 201)
    assert made.json()["data"] == [[batch.public_id]]


@pytest.mark.parametrize(
    "body",
    [
        {"base_entity": "NOPE", "core_fields": {"fields": ["batch_id"]}},
        {"base_entity": "BAT", "core_fields": {"fields": ["no_such_field"]}},
        {"base_entity": "BAT", "core_fields": {"fields": []}},
        {
            "base_entity": "BAT",
            "core_fields": {
                "fields": ["batch_id"],
                "query": [
                    {
                        "field": "batch_cycles_pending",
                        "operators": "greater_than",
                        "operand": "many",
                    }
                ],
            },
        },
        {
            "base_entity": "BAT",
            "core_fields": {
                "fields": ["batch_id"],
                "query": [{"field": "batch_id", "operators": "like", "operand": "x"}],
            },
        },
        {
            "base_entity": "BAT",
            "core_fields": {
                "fields": ["batch_id"],
                "aliases": [{"key": "batch_label", "alias": "x"}],
            },
        },
        {"base_entity": "BAT", "core_fields": {"fields": ["batch_id"], "extra": 1}},
    ],
)
def test_a_report_that_names_what_is_not_there_is_a_400(floors, body):
    answer = post_json(client_for(floors["acme"].manager), "/api/reports", body)
    assert_status(answer, 400)
    assert answer["Content-Type"] == "application/problem+json"


def test_the_report_reads_a_constant_number_of_queries(floors):
    maria = client_for(floors["acme"].manager)

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert_status(report(maria), 201)
        return len(seen)

    few = queries()
    from batches.services import batches_create

    acme = floors["acme"]
    batches_create(
        actor=None, work_order=acme["work_order"], queue=acme["queue"], number_cycles=1, total=6
    )
    assert queries() == few


def test_metrics_count_the_completed_cycles_per_customer(floors):
    acme, globex = floors["acme"], floors["globex"]
    maria = client_for(acme.manager)
    done = {"status": "Complete", "category": "COMPLETE"}
    blocked = {"status": "Blocked", "category": "BLOCKED"}
    cycles = list(Cycle.objects.filter(batch=acme["batches"][1]).order_by("id")[:3])
    for cycle in cycles[:2]:
        assert_status(
            patch_json(maria, f"/api/cycles/{cycle.public_id}", {"current_status": done}), 200
        )
    assert_status(
        patch_json(maria, f"/api/cycles/{cycles[2].public_id}", {"current_status": blocked}), 200
    )
    theirs = Cycle.objects.filter(batch=globex["batches"][1]).first()
    patch_json(
        client_for(globex.manager), f"/api/cycles/{theirs.public_id}", {"current_status": done}
    )
    now = timezone.now()
    answer = post_json(
        maria,
        "/api/metrics",
        {
            "metrics": [
                {"metric": "throughput"},
                {"metric": "first_pass_yield"},
                {"metric": "blocked_time"},
            ],
            "date_start": (now - timedelta(days=1)).isoformat(),
            "date_end": (now + timedelta(hours=1)).isoformat(),
        },
    )
    assert_status(answer, 201)
    items = answer.json()["metrics"]
    completed = Cycle.objects.filter(
        work_order__project__program__customer=acme["customer"], category="COMPLETE"
    ).count()
    [throughput] = [i for i in items if i["metric"] == "throughput"]
    assert throughput["value"] == completed
    assert throughput["dimensions"] == [
        {"key": "customer", "value": acme["customer"].public_id, "label": "Acme"}
    ]
    [fpy] = [i for i in items if i["metric"] == "first_pass_yield"]
    # The planted run completed its cycle first time; the two set by hand had no run.
    assert fpy["value"] == round(1 / completed, 4)
    [blocked_item] = [i for i in items if i["metric"] == "blocked_time"]
    assert 0 < blocked_item["value"] <= 3600 + 5
    assert all(i["dimensions"][0]["value"] == acme["customer"].public_id for i in items)


def test_cycle_time_is_per_step(floors):
    acme = floors["acme"]
    now = timezone.now()
    answer = post_json(
        client_for(acme.manager),
        "/api/metrics",
        {
            "metrics": [{"metric": "cycle_time"}, {"metric": "technician_output"}],
            "date_start": (now - timedelta(days=1)).isoformat(),
            "date_end": (now + timedelta(hours=1)).isoformat(),
        },
    )
    assert_status(answer, 201)
    steps = [i for i in answer.json()["metrics"] if i["metric"] == "cycle_time"]
    assert steps and all(i["dimensions"][1]["key"] == "step" for i in steps)
    assert all(i["value"] >= 0 for i in steps)


@pytest.mark.parametrize(
    "body",
    [
        {
            "metrics": [{"metric": "happiness"}],
            "date_start": "2026-01-01T00:00:00Z",
            "date_end": "2026-01-02T00:00:00Z",
        },
        {
            "metrics": [{"metric": "throughput"}],
            "date_start": "2026-01-02T00:00:00Z",
            "date_end": "2026-01-01T00:00:00Z",
        },
        {
            "metrics": [{"metric": "throughput"}],
            "date_start": "2024-01-01T00:00:00Z",
            "date_end": "2026-01-01T00:00:00Z",
        },
        {"metrics": [], "date_start": "2026-01-01T00:00:00Z", "date_end": "2026-01-02T00:00:00Z"},
        {
            "metrics": [{"metric": "throughput", "top": 0}],
            "date_start": "2026-01-01T00:00:00Z",
            "date_end": "2026-01-02T00:00:00Z",
        },
    ],
)
def test_bad_metric_requests_are_400s(floors, body):
    assert_status(post_json(client_for(floors["acme"].manager), "/api/metrics", body), 400)


def test_fields_lists_the_custom_fields_of_an_entity_type(floors):
    acme = floors["acme"]
    work_order = acme["work_order"]
    work_order.input_filter = [
        {"key": "po_number", "label": "PO number", "filters": [], "validators": []}
    ]
    work_order.save()
    maria = client_for(acme.manager)
    answer = maria.get("/api/fields/work_order")
    assert_status(answer, 200)
    assert answer.json()["fields"] == [{"field": "po_number", "label": "PO number"}]
    assert client_for(floors["globex"].manager).get("/api/fields/work_order").json()["fields"] == []
    assert_status(maria.get("/api/fields/nothing"), 404)
    assert (
        maria.get("/api/fields?filter[key]=po_number").json()["fields"][0]["entity_type"]
        == "work_order"
    )


def test_the_cockpits_week_shows_the_viewers_customers_only(floors):
    from tests.users.test_shared_floor_admin import signed_in

    acme, globex = floors["acme"], floors["globex"]
    done = {"status": "Complete", "category": "COMPLETE"}
    for floor in (acme, globex):
        cycle = Cycle.objects.filter(batch=floor["batches"][1]).first()
        client = client_for(floor.manager)
        patch_json(client, f"/api/cycles/{cycle.public_id}", {"current_status": done})
    maria = signed_in(acme.manager)
    figures = maria.get("/admin/reports/week.json").json()["metrics"]
    assert figures and {i["dimensions"][0]["value"] for i in figures} == {
        acme["customer"].public_id
    }
    sheet = maria.get("/admin/reports/week.csv").content.decode()
    assert "Acme" in sheet and "Globex" not in sheet
    assert "The week in numbers" in maria.get("/admin/").content.decode()
    # Signed out: the sign-in page, no figures.
    assert Client().get("/admin/reports/week.json").status_code == 302
