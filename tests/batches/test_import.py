"""Batches from files: each row places batches through batches_create."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from batches.models import Batch, Cycle
from tests.factories import (
    CustomerFactory,
    LocationFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    make_work_order,
    make_workflow,
)

pytestmark = pytest.mark.django_db
WORK_ORDER = "Acme / Stores / NY stores / 500 iPads"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def floor(tmp_path):
    program = ProgramFactory(customer=CustomerFactory(label="Acme"), label="Stores")
    project = ProjectFactory(program=program, label="NY stores")
    work_order = make_work_order(project=project, label="500 iPads", cycles=[(30, make_workflow())])
    QueueFactory(label="Fast Lane", location=LocationFactory(label="Albany DC"))
    QueueFactory(label="Fast Lane", location=LocationFactory(label="Toronto"))

    def write(rows: str) -> str:
        path = tmp_path / "batches.csv"
        path.write_text("work_order,queue,number_cycles,total\n" + rows)
        return str(path)

    return work_order, write


def test_rows_place_batches_in_the_named_queue(floor):
    _, write = floor

    output = run("import_data", "batches", write(f"{WORK_ORDER},Fast Lane · Toronto,5,4\n"))

    assert "Imported batches" in output
    assert Batch.objects.count() == 4 and Cycle.objects.count() == 20
    assert {b.queue.location.label for b in Batch.objects.all()} == {"Toronto"}


def test_rows_beyond_the_capacity_place_nothing(floor):
    _, write = floor
    rows = f"{WORK_ORDER},Fast Lane · Albany DC,10,2\n{WORK_ORDER},Fast Lane · Toronto,11,1\n"

    with pytest.raises(CommandError) as failure:
        run("import_data", "batches", write(rows))

    assert "row 2" in str(failure.value) and "needs 30 cycles, 20 are placed" in str(failure.value)
    assert not Batch.objects.exists()


def test_the_admin_previews_then_places_the_batches(manager, floor):
    rows = f"work_order,queue,number_cycles,total\n{WORK_ORDER},Fast Lane · Albany DC,10,3\n"
    upload = SimpleUploadedFile("batches.csv", rows.encode(), content_type="text/csv")

    preview = manager.post("/admin/batches/batch/import/", {"import_file": upload, "format": "0"})

    assert preview.status_code == 200 and not Batch.objects.exists()
    confirm = preview.context["confirm_form"]
    response = manager.post(
        "/admin/batches/batch/process_import/",
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert Batch.objects.count() == 3 and Cycle.objects.count() == 30
