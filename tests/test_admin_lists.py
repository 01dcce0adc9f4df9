"""Every admin list costs the same queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batches.services import batches_create
from engine.services import context_start
from notes.services import NoteFields, note_create
from relations.services import relation_create
from tests.engine.shop import IPAD_STEPS
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    LocationFactory,
    ManufacturerFactory,
    PartFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    UnitFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)

pytestmark = pytest.mark.django_db


def place(n):
    work_order = make_work_order(cycles=[(n, make_workflow(label=f"Flow {n}"))])
    batches = batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=1, total=n
    )
    for batch in batches:
        relation_create(subject=UserFactory(), obj=batch, relation="tech")


def workflows(n):
    for i in range(n):
        make_workflow(label=f"Flow {i} of {n}")


def work_orders(n):
    for _ in range(n):
        make_work_order(cycles=[(2, make_workflow(label=f"Flow {_} {n}"))])


def runs(n):
    workflow = make_workflow(label=f"Runs {n}", steps=IPAD_STEPS, starts_at="unbox")
    for unit in UnitFactory.create_batch(n):
        context_start(actor=None, version=workflow.versions.get(), unit=unit)


def notes(n):
    for unit in UnitFactory.create_batch(n):
        note_create(actor=UserFactory(), subject=unit, fields=NoteFields(label="n", text="t"))


LISTS = {
    "customers/customer": lambda n: CustomerFactory.create_batch(n),
    "customers/contact": lambda n: ContactFactory.create_batch(n),
    "customers/program": lambda n: ProgramFactory.create_batch(n),
    "customers/project": lambda n: ProjectFactory.create_batch(n),
    "queues/location": lambda n: LocationFactory.create_batch(n),
    "queues/queue": lambda n: QueueFactory.create_batch(n),
    "workorders/workflow": workflows,
    "workorders/workorder": work_orders,
    "batches/batch": place,
    "batches/cycle": place,
    "relations/relation": lambda n: [
        relation_create(subject=UserFactory(), obj=CustomerFactory(), relation="owner")
        for _ in range(n)
    ],
    "users/user": lambda n: UserFactory.create_batch(n),
    "units/manufacturer": lambda n: ManufacturerFactory.create_batch(n),
    "units/part": lambda n: PartFactory.create_batch(n),
    "units/unit": lambda n: UnitFactory.create_batch(n),
    "engine/context": runs,
    "notes/note": notes,
}


@pytest.mark.parametrize("model", LISTS)
def test_admin_lists_keep_their_query_count(manager, model):
    url = f"/admin/{model}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = manager.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    LISTS[model](3)
    manager.get(url)  # warm the per-process caches (content types, sessions)
    few = queries()
    LISTS[model](27)
    many = queries()

    assert few == many, f"{url}: {few} queries for a few rows, {many} for many"
