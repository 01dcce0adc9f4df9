"""The cockpit's week in numbers, in a browser: a manager sees the charts drawn (by the chart
library this site serves, nothing from outside) from the same figures the CSV holds."""

import csv
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from batches.models import Cycle
from batches.services import cycle_set_status
from users.roles import FloorRole
from users.services import user_create

pytestmark = pytest.mark.django_db(transaction=True)
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")
PASSWORD = "Charts-Pass-2026"
DONE = {"status": "Complete", "category": "COMPLETE"}


@pytest.fixture
def maria():
    floor_roles.create_roles(django_apps, None)
    call_command("seed_demo", verbosity=0)
    # Work finished today: something to chart, whatever the demo's own dates.
    for cycle in Cycle.objects.exclude(category="COMPLETE").order_by("id")[:3]:
        cycle_set_status(cycle, actor=None, current_status=DONE)
    return user_create(username="maria", role=FloorRole.MANAGER, password=PASSWORD)


def test_a_manager_sees_the_weeks_charts_and_downloads_them_as_csv(sessions, maria):
    session = sessions()
    outside = []
    session.page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(session.base_url) else None,
    )
    session.sign_in("maria", PASSWORD)
    page = session.open("/admin/")
    page.wait_for_selector("#week-metrics[data-rendered=true]")

    figures = page.request.get(session.base_url + "/admin/reports/week.json").json()["metrics"]
    days = {i["date"][:10] for i in figures if i["metric"] == "throughput"}
    assert days, "cycles completed today are charted"
    assert page.get_attribute("#chart-throughput", "data-rendered") == str(len(days))
    # The canvas was drawn on: it is not blank.
    blank = page.evaluate(
        """() => { const c = document.getElementById('chart-throughput');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        return !d.some(v => v !== 0); }"""
    )
    assert blank is False
    assert outside == []

    download = page.request.get(session.base_url + "/admin/reports/week.csv")
    assert download.ok and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text())))
    completed = sum(float(r["value"]) for r in rows if r["metric"] == "throughput")
    assert completed == sum(i["value"] for i in figures if i["metric"] == "throughput") >= 3
