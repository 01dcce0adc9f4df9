"""A device can be followed: serial → unit → cycles → runs with every step, its work order,
batch, queue and notes, linked both ways; only what the viewer reads; the same queries however
long its history."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from batches.models import Cycle
from tests.helpers import client_for
from units.models import Unit

from .shop import DETAILS, QC_OK, build_floor
from .test_runs_api import close, take

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _produce(api, qc, floor, serial):
    context_id = take(api, floor["batch"], serial, rework=True).json()["context_id"]
    close(api, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    close(api, context_id, "enter-details", DETAILS)
    close(qc, context_id, "quality-check", QC_OK)


def test_a_device_is_followed_from_its_serial_through_everything_it_went_through(manager):
    floor = build_floor()
    ada, grace = (client_for(tech) for tech in floor["techs"])
    _produce(ada, grace, floor, "DMP5001")
    unit = Unit.objects.get(raw_serial_number="DMP5001")
    cycle = Cycle.objects.get(unit=unit)

    # From the unit's page and the cycle's page to the trace.
    url = f"/admin/engine/context/station/device/{unit.pk}/"
    assert url in manager.get(f"/admin/units/unit/{unit.pk}/change/").content.decode()
    assert url in manager.get(f"/admin/batches/cycle/{cycle.pk}/change/").content.decode()

    page = manager.get(url).content.decode()

    for shown in (
        "DMP5001",
        floor["work_order"].label,
        floor["batch"].label,
        floor["queue"].label,
        "Unbox and inspect",
        "Quality check",
        "IMEI: 356789012345678",
        "screen: ok",
        floor["techs"][1].get_full_name() or floor["techs"][1].username,
        "UTC",
    ):
        assert shown in page, shown
    # …and back to each page.
    for link in (
        f"/admin/units/unit/{unit.pk}/change/",
        f"/admin/batches/cycle/{cycle.pk}/change/",
        f"/admin/workorders/workorder/{floor['work_order'].pk}/change/",
        f"/admin/batches/batch/{floor['batch'].pk}/change/",
        f"/admin/queues/queue/{floor['queue'].pk}/change/",
    ):
        assert link in page, link


def test_a_stranger_gets_no_trace():
    floor = build_floor()
    other = build_floor()
    take(client_for(floor["techs"][0]), floor["batch"], "DMP5002")
    unit = Unit.objects.get(raw_serial_number="DMP5002")

    response = _signed_in(other["techs"][0]).get(f"/admin/engine/context/station/device/{unit.pk}/")

    assert response.status_code == 404


def test_the_trace_costs_the_same_queries_however_long_the_history(manager):
    floor = build_floor(devices=10)
    ada, grace = (client_for(tech) for tech in floor["techs"])
    _produce(ada, grace, floor, "DMP5003")
    unit = Unit.objects.get(raw_serial_number="DMP5003")
    url = f"/admin/engine/context/station/device/{unit.pk}/"
    with CaptureQueriesContext(connection) as once:
        manager.get(url)
    for _ in range(3):
        _produce(ada, grace, floor, "DMP5003")  # reworked three times
    with CaptureQueriesContext(connection) as four_times:
        page = manager.get(url).content.decode()

    assert page.count("Quality check") >= 4
    assert len(four_times) == len(once)
