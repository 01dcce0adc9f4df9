"""The cockpit's QC queue: the devices waiting on a second person's check, oldest first, and
no others; what the viewer may read; the same queries for one device or many."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.helpers import client_for

from .shop import DETAILS, QC_OK, build_floor
from .test_runs_api import close, take

pytestmark = pytest.mark.django_db


def _to_qc(api, floor, serial: str) -> str:
    context_id = take(api, floor["batch"], serial).json()["context_id"]
    close(api, context_id, "unbox", {"step": "unbox", "attachment_id": "unboxing-guide"})
    close(api, context_id, "enter-details", DETAILS)
    return context_id


def _cockpit(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/admin/").content.decode()


def _queue(page: str) -> str:
    start = page.index('id="qc-queue"')
    return page[start : page.index("</table>", start)]


def test_devices_at_a_qc_step_wait_in_the_queue_until_someone_checks_them():
    floor = build_floor()
    ada, grace = floor["techs"]
    api = client_for(ada)
    first = _to_qc(api, floor, "DMP4001")
    _to_qc(api, floor, "DMP4002")
    take(api, floor["batch"], "DMP4003")  # started, not at QC

    queue = _queue(_cockpit(grace))

    assert "DMP4001" in queue and "DMP4002" in queue and "DMP4003" not in queue
    assert queue.index("DMP4001") < queue.index("DMP4002"), "oldest wait first"

    assert close(client_for(grace), first, "quality-check", QC_OK).status_code == 200
    queue = _queue(_cockpit(grace))
    assert "DMP4001" not in queue and "DMP4002" in queue


def test_another_customers_technician_sees_none_of_it():
    floor = build_floor()
    other = build_floor()
    _to_qc(client_for(floor["techs"][0]), floor, "DMP4101")

    assert "DMP4101" not in _queue(_cockpit(other["techs"][0]))
    assert "No device is waiting for QC" in _cockpit(other["techs"][0])


def test_the_queue_costs_the_same_queries_for_one_device_or_many():
    floor = build_floor()
    api = client_for(floor["techs"][0])
    viewer = Client()
    viewer.force_login(floor["techs"][1])

    _to_qc(api, floor, "DMP4201")
    with CaptureQueriesContext(connection) as one:
        viewer.get("/admin/")
    for n in range(2, 6):
        _to_qc(api, floor, f"DMP42{n:02d}")
    with CaptureQueriesContext(connection) as five:
        viewer.get("/admin/")

    assert len(five) == len(one)


def test_a_project_without_a_verifying_status_still_queues_its_qc():
    floor = build_floor()
    project = floor["project"]
    project.allowed_statuses = [
        status for status in floor["customer"].allowed_statuses if status["category"] != "VERIFYING"
    ]
    project.save()
    _to_qc(client_for(floor["techs"][0]), floor, "DMP4301")

    assert "DMP4301" in _queue(_cockpit(floor["techs"][1]))
