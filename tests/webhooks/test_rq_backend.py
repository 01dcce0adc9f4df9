"""TASKS_BACKEND=rq: the same tasks queue in Redis (RQ) instead of the database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import redis_up

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/7"


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_the_rq_backend_queues_a_delivery_in_redis():
    import redis

    connection = redis.Redis.from_url(REDIS)
    connection.flushdb()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "1",
        "TASKS_BACKEND": "rq",
        "REDIS_URL": REDIS,
    }
    script = "from webhooks.tasks import deliver; result = deliver.enqueue(1); print(result.status)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("READY")
    assert connection.llen("rq:queue:default") == 1
    connection.flushdb()


def test_a_backend_that_is_neither_is_refused_at_start():
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "1", "TASKS_BACKEND": "celery"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "TASKS_BACKEND is database or rq" in done.stderr


@pytest.mark.django_db
def test_sweep_outbox_hands_over_what_waits():
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from events.models import Event

    Event.objects.create(
        type="WOR.created", entity_id="w", occurred=timezone.now() - timedelta(minutes=1)
    )
    call_command("sweep_outbox")
    assert not Event.objects.filter(dispatched__isnull=True).exists()
