"""The real worker, as `make run` and production run it (`manage.py db_worker` in a process of
its own), killed with SIGKILL in the middle of a delivery: nothing is sent while no worker
runs; the next worker sends every pending and in-flight message, each under its id."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from batches.models import Cycle
from tests.factories import QueueFactory, make_work_order, make_workflow
from tests.helpers import assert_status, patch_json, post_json, split
from webhooks.models import Delivery

from .receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
WORKING = {"status": "In Progress", "category": "IN_PROGRESS"}


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        # A short lease, so the test need not wait out production's 30 s.
        "WEBHOOKS_TIMEOUT": "1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_delivery_loses_nothing(api):
    work_order = make_work_order(label="Killed", cycles=[(3, make_workflow())])
    assert_status(split(api, work_order, QueueFactory(), 3, total=1), 204)
    # The receiver holds its first request (the worker is mid-send when it is killed).
    with Receiver(hold_first=5) as receiver:
        hook = post_json(
            api, "/api/webhooks", {"url": receiver.url, "events": ["CYC.status-changed"]}
        )
        assert_status(hook, 201)
        cycles = list(Cycle.objects.filter(work_order=work_order))
        for cycle in cycles:
            patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})

        worker = start_worker()
        try:
            assert wait_for(lambda: receiver.received, 60), "the worker sent nothing"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        in_flight = receiver.received[0]["headers"]["webhook-id"]
        seen = len(receiver.received)
        time.sleep(2)
        assert len(receiver.received) == seen  # no worker, nothing sent

        started = time.monotonic()
        worker = start_worker()
        try:
            expected = set(Delivery.objects.values_list("public_id", flat=True))
            assert len(expected) == 3

            def all_answered():
                return {r["headers"]["webhook-id"] for r in receiver.answered} >= expected

            assert wait_for(all_answered, 120), "not every message arrived after the restart"
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        took = time.monotonic() - started

    assert in_flight in {r["headers"]["webhook-id"] for r in receiver.answered}
    cycle_ids = {m["data"]["cycle_id"] for m in receiver.messages()}
    assert cycle_ids == {c.public_id for c in cycles}
    assert took < 120
