"""Running the background worker in the test's process: django-tasks' own database worker,
in batch mode (every task that is due, then it returns)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from webhooks.models import Delivery


def run_worker() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def skip_ahead(seconds: float) -> None:
    """Make what is scheduled within ``seconds`` due now (tasks and deliveries alike), as if
    that much time had passed."""
    now = timezone.now()
    later = now + timedelta(seconds=seconds)
    DBTaskResult.objects.filter(run_after__lte=later).update(run_after=now)
    Delivery.objects.filter(next_attempt__lte=later).update(next_attempt=now)
