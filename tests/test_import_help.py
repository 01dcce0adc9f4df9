"""Imports that explain themselves: every import page says what each column holds (paths,
ISO 8601 dates, statuses) and offers an example file — a real one: it imports into the demo as
is; and every list that imports also exports."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils.html import strip_tags

from batches.models import Batch
from customers.models import Customer, Project
from niagara.exchange import IsoDateTimeWidget
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

LISTS = {
    "customers/customer": Customer,
    "customers/project": Project,
    "workorders/workorder": WorkOrder,
    "batches/batch": Batch,
}


@pytest.mark.parametrize("path", LISTS)
def test_each_import_page_explains_its_columns_and_offers_an_example(manager, path):
    page = manager.get(f"/admin/{path}/import/").content.decode()

    assert 'id="import-columns"' in page
    assert f'href="/admin/{path}/import/example/"' in page
    example = manager.get(f"/admin/{path}/import/example/")
    assert example.status_code == 200 and example["Content-Type"] == "text/csv"
    header = example.content.decode().splitlines()[0].split(",")
    for column in header:
        assert f"<code>{column}</code>" in page
    listing = manager.get(f"/admin/{path}/").content.decode()
    assert f"/admin/{path}/import/" in listing and f"/admin/{path}/export/" in listing


def test_the_work_order_page_says_how_to_write_paths_and_dates(manager):
    page = manager.get("/admin/workorders/workorder/import/").content.decode()

    assert "Customer / Program / Project" in page
    assert "ISO 8601" in page and "2026-12-31T14:30:00Z" in page


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("customers/customer", Customer),
        ("customers/project", Project),
        ("workorders/workorder", WorkOrder),
        ("batches/batch", Batch),
    ],
)
def test_every_example_file_imports_into_the_demo_as_it_is(manager, path, model):
    call_command("seed_demo", verbosity=0)
    before = model.objects.count()
    example = manager.get(f"/admin/{path}/import/example/").content
    upload = SimpleUploadedFile("example.csv", example, content_type="text/csv")

    preview = manager.post(f"/admin/{path}/import/", {"import_file": upload, "format": "0"})

    assert preview.status_code == 200 and "confirm_form" in preview.context, preview.content[:2000]
    # The preview shows every column of the file as written, none blank.
    result = preview.context["result"]
    [written] = list(csv.DictReader(io.StringIO(example.decode())))
    [row] = result.valid_rows()
    shown = dict(zip(result.diff_headers, row.diff, strict=True))
    for column, value in written.items():
        # As written (a date may be shown with its time: 2026-12-14 00:00:00).
        assert strip_tags(shown[column]).strip().startswith(value), (column, shown[column])
        assert bool(value) == bool(strip_tags(shown[column]).strip()), (column, shown[column])
    confirm = preview.context["confirm_form"]
    response = manager.post(
        f"/admin/{path}/process_import/",
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert model.objects.count() > before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-31", datetime.datetime(2026, 12, 31, tzinfo=datetime.UTC)),
        ("2026-12-31 14:30", datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)),
        ("2026-12-31T14:30:00Z", datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)),
        (
            "2026-12-31T09:30:00-05:00",
            datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC),
        ),
    ],
)
def test_dates_are_read_as_iso_8601(text, expected):
    assert IsoDateTimeWidget().clean(text) == expected


def test_a_date_that_is_not_one_is_an_error():
    with pytest.raises(ValueError):
        IsoDateTimeWidget().clean("31/31/2026")
