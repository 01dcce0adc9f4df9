"""The floor's counters are kept by the database in the transaction of every change: after any
write path, the tallies equal a recount of the rows, and a repair rewrites them."""

import pytest
from django.core.management import call_command
from django.db import connection

from batches import services, tallies
from batches.models import Batch, BatchTally, Cycle, FloorTally
from batches.services import BatchFields
from tests.factories import QueueFactory, make_work_order, make_workflow

pytestmark = pytest.mark.django_db

BLOCKED = {"status": "Blocked", "category": "BLOCKED"}
COMPLETE = {"status": "Complete", "category": "COMPLETE"}


def floor_row(queue, work_order) -> dict:
    row = FloorTally.objects.filter(queue=queue, work_order=work_order).values().first() or {}
    return {k: v for k, v in row.items() if k not in ("id", "queue_id", "work_order_id")}


@pytest.fixture
def placed():
    work_order = make_work_order(cycles=[(30, make_workflow())])
    queue = QueueFactory()
    batches = services.batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=5, total=4
    )
    return work_order, queue, batches


def test_placing_batches_counts_them_and_their_cycles(placed):
    work_order, queue, batches = placed

    assert floor_row(queue, work_order) == {
        "batches": 4,
        "active_batches": 4,
        "pending": 20,
        "in_progress": 0,
        "verifying": 0,
        "complete": 0,
        "blocked": 0,
        "cancelled": 0,
    }
    assert BatchTally.objects.get(batch=batches[0]).pending == 5
    assert tallies.tally_problems() == []


def test_every_write_path_keeps_the_tallies_equal_to_a_recount(placed):
    work_order, queue, (first, second, third, fourth) = placed
    other_queue = QueueFactory()

    cycle = first.cycles.first()
    services.cycle_set_status(cycle, actor=None, current_status=BLOCKED)
    services.cycles_set_status(second.cycles.all(), actor=None, current_status=COMPLETE)
    services.batches_move([third], actor=None, queue=other_queue)
    fields = BatchFields(work_order=work_order, queue=queue, number_cycles=2)
    services.batch_update(fourth, actor=None, fields=fields)  # shrinks 5 → 2
    Cycle.objects.filter(batch=first, category="PENDING").update(category="CANCELLED")

    assert tallies.tally_problems() == []
    assert floor_row(queue, work_order) == {
        "batches": 3,
        "active_batches": 2,  # first (one blocked) and fourth; second is complete
        "pending": 2,
        "in_progress": 0,
        "verifying": 0,
        "complete": 5,
        "blocked": 1,
        "cancelled": 4,
    }
    assert floor_row(other_queue, work_order)["pending"] == 5

    services.batch_delete(third, actor=None)
    assert floor_row(other_queue, work_order)["batches"] == 0
    assert floor_row(other_queue, work_order)["pending"] == 0
    assert tallies.tally_problems() == []


def test_a_repair_rewrites_tallies_that_drifted(placed, capsys):
    work_order, queue, _ = placed
    FloorTally.objects.filter(queue=queue).update(pending=999)
    BatchTally.objects.filter(batch__queue=queue).update(blocked=3)

    with pytest.raises(Exception, match="invariants do not hold"):
        call_command("check_integrity")
    assert "counters kept by the database" in capsys.readouterr().out

    call_command("check_integrity", "--repair")

    assert tallies.tally_problems() == []
    assert floor_row(queue, work_order)["pending"] == 20
    call_command("check_integrity")


def test_bulk_loads_suspend_the_triggers_and_recount_once(placed):
    *_, batches = placed
    with tallies.suspended():
        Cycle.objects.filter(batch=batches[0]).update(category="COMPLETE")
        assert BatchTally.objects.get(batch=batches[0]).pending == 5, "not kept while suspended"

    assert BatchTally.objects.get(batch=batches[0]).complete == 5
    assert tallies.tally_problems() == []
    # Kept again afterwards.
    Cycle.objects.filter(batch=batches[1]).update(category="COMPLETE")
    assert BatchTally.objects.get(batch=batches[1]).complete == 5


def test_the_triggers_are_in_place_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'tally_%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert tallies.trigger_names(connection.vendor) <= names
    assert Batch.objects.count() == 0


def test_assigning_technicians_and_moving_work_keeps_their_workload(placed):
    from batches.models import TechTally
    from relations.services import relation_create
    from tests.factories import UserFactory

    work_order, queue, (first, second, third, _) = placed
    tess, theo = UserFactory(), UserFactory()
    services.batches_assign([first, second], actor=None, tech=tess)
    relation_create(subject=theo, obj=third, relation="tech")

    def workload(user, where=queue):
        """(batches, of them with an open cycle, open cycles) of ``user`` in ``where``."""
        row = TechTally.objects.filter(user=user, queue=where, work_order=work_order).first()
        return (row.batches, row.active_batches, row.open_cycles) if row else (0, 0, 0)

    assert workload(tess) == (2, 2, 10)
    services.cycles_set_status(first.cycles.all(), actor=None, current_status=COMPLETE)
    assert workload(tess) == (2, 1, 5)
    services.cycle_set_status(first.cycles.first(), actor=None, current_status=BLOCKED)
    assert workload(tess) == (2, 2, 6)
    services.cycle_set_status(first.cycles.first(), actor=None, current_status=COMPLETE)
    other = QueueFactory()
    services.batches_move([second], actor=None, queue=other)
    assert workload(tess) == (1, 0, 0) and workload(tess, other) == (1, 1, 5)
    services.batch_tech_remove(second, actor=None, tech=tess)
    assert workload(tess, other) == (0, 0, 0)
    relation_create(subject=theo, obj=first, relation="tech")
    assert workload(theo) == (2, 1, 5)
    services.batch_delete(third, actor=None)
    assert workload(theo) == (1, 0, 0)
    assert tallies.tally_problems() == []
