"""Work orders from files, through work_order_save (capacity and statuses included)."""

import io

import pytest
from django.core.management import CommandError, call_command

from batches.services import batches_create
from tests.factories import (
    CustomerFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
HEADER = "project,label,begin_date,due_date,needed,workflow\n"
PROJECT, DATES = "Acme / Stores / NY stores", "2026-01-05 00:00:00,2026-03-31 00:00:00"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def project():
    program = ProgramFactory(customer=CustomerFactory(label="Acme"), label="Stores")
    make_workflow(label="Provision iPad")
    return ProjectFactory(program=program, label="NY stores")


def write(tmp_path, text):
    path = tmp_path / "work-orders.csv"
    path.write_text(HEADER + text)
    return str(path)


def test_work_orders_import_with_their_line(tmp_path, project):
    rows = f"{PROJECT},500 iPads,{DATES},500,Provision iPad\n"

    assert "1 new" in run("import_data", "work-orders", write(tmp_path, rows))

    work_order = WorkOrder.objects.get(label="500 iPads")
    assert work_order.project == project
    assert [(line.needed, line.work_flow.label) for line in work_order.lines.all()] == [
        (500, "Provision iPad")
    ]
    assert work_order.current_status["category"] == "PENDING"
    exported = run("export_data", "work-orders")
    assert "Acme / Stores / NY stores,500 iPads" in exported and ",500,Provision iPad" in exported


def test_an_update_below_the_placed_cycles_imports_nothing(tmp_path, project):
    work_order = make_work_order(
        project=project, label="500 iPads", cycles=[(50, make_workflow(label="Other"))]
    )
    batches_create(actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=40)
    rows = (
        f"{PROJECT},500 iPads,{DATES},10,Provision iPad\n{PROJECT},Fresh,{DATES},5,Provision iPad\n"
    )

    with pytest.raises(CommandError) as failure:
        run("import_data", "work-orders", write(tmp_path, rows))

    assert "row 1" in str(failure.value) and "40 are placed" in str(failure.value)
    assert not WorkOrder.objects.filter(label="Fresh").exists()
    assert [line.needed for line in WorkOrder.objects.get(pk=work_order.pk).lines.all()] == [50]
