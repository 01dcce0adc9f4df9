"""The runs' and notes' lists cost the same queries for a few rows as for a page of them, for a
manager and for a technician (whose rows are filtered by their batches)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.models import Context
from notes.services import NoteFields, note_create
from tests.helpers import client_for, post_json

from .shop import build_floor

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize(
    "list_url",
    [
        "/api/work-orders/{work_order}/contexts",
        "/api/work-flows/{workflow}/contexts",
        "/api/units/{unit}/notes",
        "/api/work-orders/{work_order}/notes",
        "/api/batches/{batch}/cycles",
    ],
)
@pytest.mark.parametrize("reader", ["manager", "technician"])
def test_lists_keep_their_query_count(api, list_url, reader):
    floor = build_floor(devices=14)
    tech = floor["techs"][0]
    tech_client = client_for(tech)  # one token: a new one would void the last
    take = f"/api/batches/{floor['batch'].public_id}/cycles/next"

    def grow(first, last):
        for n in range(first, last):
            post_json(tech_client, take, {"raw_serial_number": f"DMP{n:04d}"})
            unit = Context.objects.latest("id").unit
            for subject in (unit, floor["work_order"], first_unit or unit):
                note_create(actor=tech, subject=subject, fields=NoteFields(label="n", text="t"))

    first_unit = None
    grow(0, 2)
    first_unit = Context.objects.earliest("id").unit
    url = list_url.format(
        work_order=floor["work_order"].public_id,
        workflow=floor["workflow"].public_id,
        unit=first_unit.public_id,
        batch=floor["batch"].public_id,
    )
    client = api if reader == "manager" else tech_client
    if reader == "technician" and "work-" in list_url:
        pytest.skip("technicians read runs and notes through their batches and devices")
    queries(client, url)  # warm the per-process caches
    few = queries(client, url)
    grow(2, 12)
    many = queries(client, url)

    assert few == many, f"{url}: {few} queries for a few rows, {many} for many"
