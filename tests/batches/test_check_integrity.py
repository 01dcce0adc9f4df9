"""``manage.py check_integrity``: every invariant recomputed from the rows."""

import io

import pytest
from django.core.management import CommandError, call_command

from batches.models import Batch, Cycle
from batches.services import batches_create, cycle_set_status
from relations.models import Relation
from tests.factories import ContactFactory, CustomerFactory, UnitFactory
from units.models import Unit
from workorders.models import WorkOrder, WorkOrderLine

pytestmark = pytest.mark.django_db


def check() -> str:
    out = io.StringIO()
    call_command("check_integrity", stdout=out)
    return out.getvalue()


def failing() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_integrity", stdout=out)
    return out.getvalue() + str(failure.value)


@pytest.fixture
def floor(work_order, queue):
    batches = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=10, total=2
    )
    statuses = work_order.project.effective_statuses
    cycle_set_status(batches[0].cycles.first(), actor=None, current_status=statuses[1])
    return batches


def test_a_consistent_floor_passes(floor):
    assert "All 9 invariants hold." in check()


def test_over_placement_is_reported(floor, work_order):
    WorkOrderLine.objects.filter(work_order=work_order).update(needed=5)

    report = failing()

    assert "FAIL placed ≤ needed on every work order line: 1" in report
    assert "20 cycles placed, 5 needed" in report
    assert "1 of 9 invariants do not hold" in report


def test_a_cycle_in_another_work_orders_batch_is_reported(floor, work_order, queue):
    from tests.factories import make_work_order, make_workflow

    other = make_work_order(label="Other", cycles=[(5, make_workflow(label="Other flow"))])
    stray = batches_create(actor=None, work_order=other, queue=queue, number_cycles=1)[0]
    Cycle.objects.filter(pk=floor[0].cycles.first().pk).update(batch=stray)

    assert "cycles belong to their batch's and line's work order: 1" in failing()


def test_a_counter_that_disagrees_with_its_status_is_reported(floor):
    Cycle.objects.filter(pk=floor[1].cycles.first().pk).update(category="COMPLETE")

    assert 'counted as COMPLETE, its status says "PENDING"' in failing()


def test_a_wrong_end_date_is_reported(floor, work_order):
    from django.utils import timezone

    WorkOrder.objects.filter(pk=work_order.pk).update(end_date=timezone.now())

    assert "ended, with 0 of 30 cycles finished" in failing()


def test_a_status_outside_the_vocabulary_is_reported(floor):
    Batch.objects.filter(pk=floor[0].pk).update(
        current_status={"status": "Lost", "category": "BLOCKED"}
    )

    assert "batch of work order" in failing() and '"Lost" (BLOCKED)' in failing()


def test_a_relation_to_a_deleted_entity_is_reported(db):
    from relations.services import relation_create

    customer, contact = CustomerFactory(), ContactFactory()
    link = relation_create(subject=contact, obj=customer, relation="contact")
    gone = ContactFactory._meta.model.objects.filter(pk=contact.pk)
    gone._raw_delete(gone.db)  # as a crash or a manual SQL fix would: no signals

    report = failing()

    assert Relation.objects.filter(pk=link.pk).exists()
    assert f"relation {link.pk} (contact): its subject, contact {contact.pk}, is gone" in report


def test_the_demo_shop_is_consistent(db):
    call_command("seed_demo", stdout=io.StringIO())

    assert "All 9 invariants hold." in check()


def test_a_unit_out_of_line_is_reported(db):
    unit = UnitFactory()
    assert "All 9 invariants hold." in check()
    Unit.objects.filter(pk=unit.pk).update(
        current_status={"status": "Lost", "category": "BLOCKED"}, serial_number="WRONG"
    )

    report = failing()

    assert f'unit {unit.public_id}: status "Lost" (BLOCKED) is not its customer\'s' in report
    assert f'unit {unit.public_id}: serial number "WRONG" does not follow' in report


def test_a_device_in_two_unfinished_cycles_is_reported(floor):
    unit = UnitFactory()
    Cycle.objects.filter(pk__in=[c.pk for c in floor[1].cycles.all()[:2]]).update(unit=unit)

    report = failing()

    assert f"unit {unit.public_id}: in 2 unfinished cycles" in report
