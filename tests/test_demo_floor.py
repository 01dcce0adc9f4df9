"""The large demo floor (``seed_demo --size``), seeded small: its copied rows are rows the
product reads like any other — a technician on every batch, the lead on every tenth, a cycle
a batch in the work order's mix of categories, counters equal to a recount — on SQLite (bulk
inserts) and on PostgreSQL (``COPY``)."""

import io

import pytest
from django.core.management import call_command

from batches.models import Batch, Cycle
from demo import floor
from demo.progress import Progress
from relations.models import Relation, RelationType
from tests.helpers import assert_integrity, assert_status, client_for
from users.models import User
from users.services import system_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setattr(floor, "PER_WORK_ORDER", 20)
    monkeypatch.setattr(floor, "DEVICES", 2)
    call_command("seed_demo", stdout=io.StringIO())
    return floor.seed_floor(
        60, actor=system_user(), progress=Progress(io.StringIO(), enabled=False)
    )


def test_the_floor_holds_what_it_says(seeded):
    batches = Batch.objects.filter(work_order__label__startswith="Floor order ")

    assert (seeded.work_orders, seeded.batches, seeded.devices) == (3, 60, 2)
    assert batches.count() == 60
    assert len(set(batches.values_list("public_id", flat=True))) == 60
    assert len(set(batches.values_list("label", flat=True))) == 60
    assert Cycle.objects.filter(batch__in=batches).count() == 60
    assert set(Cycle.objects.filter(batch__in=batches).values_list("category", flat=True)) >= {
        "PENDING",
        "COMPLETE",
    }
    technicians = Relation.objects.filter(relation=RelationType.TECH, object_id__in=batches)
    assert technicians.count() == 60
    lead = User.objects.get(username=floor.LEAD)
    assert technicians.filter(subject_id=lead.pk).count() == 6  # every tenth
    assert_integrity()


def test_a_copied_batch_reads_like_any_other(seeded):
    copied = Batch.objects.filter(label__endswith=" · 20/20").first()
    assigned = Relation.objects.get(relation=RelationType.TECH, object_id=copied.pk).subject_id

    root = client_for(User.objects.create_superuser("root"))
    response = root.get(f"/api/batches/{copied.public_id}")
    technician = client_for(User.objects.get(pk=assigned))

    assert_status(response, 200)
    assert response.json()["number_cycles"] == 1
    assert_status(technician.get(f"/api/batches/{copied.public_id}"), 200)
