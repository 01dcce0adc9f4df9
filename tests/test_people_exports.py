"""Every list's export opens with the file a manager reads: the list's columns in words —
names instead of ids, statuses by name, dates with their offset, no JSON — only the rows
the viewer may read, in queries that do not grow with the rows."""

import csv
import io
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.admin import ExportMixin

from batches.services import batches_create
from tests.factories import LocationFactory, ManufacturerFactory, QueueFactory, make_workflow
from tests.tenancy import plant

pytestmark = pytest.mark.django_db
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


@pytest.fixture
def floors():
    shared = dict(
        workflow=make_workflow(label="Provision tablet"),
        manufacturer=ManufacturerFactory(label="Apple"),
        shared_queue=QueueFactory(location=LocationFactory(label="Albany hub"), label="Shared"),
    )
    return plant("Acme", people=("maria", "tess"), **shared), plant(
        "Globex", people=("greg", "gail"), **shared
    )


def export(client, model, **filters) -> list[dict]:
    """Post the list's export page as a browser does: the first file ("For people"), CSV."""
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/export/"
    page = client.get(url, filters).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="([^"]+)"', page)
    picked = [b for b in boxes if b.startswith(f"{model.__name__.lower()}peopleexport_")]
    data = {"format": "0", "resource": "0", **dict.fromkeys(picked, "on")}
    response = client.post(url + ("?" + "&".join(f"{k}={v}" for k, v in filters.items())), data)
    assert response.status_code == 200, response.content[:500]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_batch_export_has_the_managers_columns_and_only_their_customers_rows(client, floors):
    acme, _globex = floors
    client.force_login(acme.manager)
    from batches.models import Batch

    rows = export(client, Batch)

    assert {row["Work order"] for row in rows} == {"Acme work order"}
    first = next(row for row in rows if row["Label"] == acme["batches"][0].label)
    assert first["Queue"] == "Acme queue" and first["Location"] == "Acme site"
    assert first["Technicians"] == "tess"
    cycles = acme["batches"][0].cycles
    for column, category in (("Pending", "PENDING"), ("In progress", "IN_PROGRESS")):
        assert first[column] == str(cycles.filter(category=category).count())
    assert sum(int(first[c]) for c in ("Pending", "In progress", "Verifying", "Complete")) == 5
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", first["Created"])
    assert "Id" not in first and "Public id" not in first


def test_every_export_reads_as_words_not_ids_or_json(admin_client, floors):
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ExportMixin):
            continue
        rows = export(admin_client, model)
        assert rows, model
        for row in rows:
            for column, cell in row.items():
                assert column not in ("Id", "Public id"), model
                assert not cell.startswith(("{", "[")), (model, column, cell)
                assert not UUID.search(cell), (model, column, cell)


def test_an_export_asks_the_same_queries_for_few_rows_and_many(admin_client, floors):
    from batches.models import Batch

    acme, _ = floors

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(admin_client, Batch)
        return len(captured)

    few = queries()
    batches_create(
        actor=None,
        work_order=acme["work_order"],
        queue=acme["queue"],
        number_cycles=1,
        total=20,
        users=[acme.technician],
    )
    assert queries() == few
