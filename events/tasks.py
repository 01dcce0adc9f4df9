"""The events' background work: hand committed events over, and sweep up what was lost."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from .models import Clock, Event
from .services import dispatch

BATCH = 500
# An event not handed over this long after it happened lost its task (a worker killed, the
# queue down): the sweep hands it over.
STALE_AFTER = timedelta(seconds=10)

# How often a sweep runs while workers run.
SWEEP_EVERY = timedelta(seconds=15)
SWEEP = "sweep"

_sweepers = []


def on_sweep(sweeper) -> None:
    """Have ``sweeper()`` run by every sweep (an app's own recovery: deliveries whose worker
    died). Called from an app's ``ready()``."""
    if sweeper not in _sweepers:
        _sweepers.append(sweeper)


def _pending():
    pending = Event.objects.filter(dispatched__isnull=True).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        # Several workers share the outbox: each takes the events no other holds.
        return pending.select_for_update(skip_locked=True)
    return pending


@task()
def dispatch_events(older_than: float | None = None) -> int:
    """Hand every committed event not yet handed over to the listeners, in batches; each
    batch's listeners write in the transaction that marks it handed over. Return how many."""
    handed = 0
    while True:
        with transaction.atomic():
            pending = _pending()
            if older_than is not None:
                pending = pending.filter(
                    occurred__lte=timezone.now() - timedelta(seconds=older_than)
                )
            events = list(pending[:BATCH])
            if not events:
                revive_sweeping()
                return handed
            dispatch(events)
            Event.objects.filter(pk__in=[e.pk for e in events]).update(dispatched=timezone.now())
            handed += len(events)


def sweep() -> None:
    """Recover what a dead worker or a lost task left: events not handed over, and each app's
    own (``on_sweep``)."""
    dispatch_events.call(older_than=STALE_AFTER.total_seconds())
    for sweeper in _sweepers:
        sweeper()


@task()
def keep_sweeping() -> bool:
    """Sweep, then come back in ``SWEEP_EVERY``: a periodic job made of tasks. Whichever
    worker moves the clock on sweeps; a second chain (two workers started together) finds the
    clock moved and ends. Return whether this one swept."""
    now = timezone.now()
    claimed = Clock.objects.filter(name=SWEEP, due__lte=now).update(due=now + SWEEP_EVERY)
    if not claimed:
        return False
    sweep()
    keep_sweeping.using(run_after=now + SWEEP_EVERY).enqueue()
    return True


def start_sweeping() -> None:
    """A worker's start: sweep at once (what a killed worker left is handed over now), then
    keep sweeping."""
    Clock.objects.get_or_create(name=SWEEP, defaults={"due": timezone.now()})
    Clock.objects.filter(name=SWEEP).update(due=timezone.now())
    keep_sweeping.call()


def revive_sweeping() -> None:
    """Start the sweeps again if their chain died with a worker (its task never came back)."""
    late = timezone.now() - 3 * SWEEP_EVERY
    if Clock.objects.filter(name=SWEEP, due__lt=late).exists():
        keep_sweeping.enqueue()
