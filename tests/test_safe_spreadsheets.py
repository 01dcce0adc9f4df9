"""Exports a spreadsheet will not run: no CSV cell starts with =, +, -, @, a tab or a carriage
return, no XLSX cell is a formula — in the admin's exports and ``export_data`` — and a file
exported and imported back keeps its labels."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command

from customers.models import Customer
from tests.factories import CustomerFactory, ProgramFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile():
    customers = [CustomerFactory(label=label) for label in HOSTILE]
    for customer in customers:
        ProjectFactory(program=ProgramFactory(customer=customer), label=customer.label)
    return customers


def _cells_of_csv(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _admin_export(client, path: str, resource: str, file_format: str) -> bytes:
    page = client.get(f"/admin/{path}/export/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="([^"]+)"', page)
    data = {"format": file_format, "resource": resource, **dict.fromkeys(boxes, "on")}
    response = client.post(f"/admin/{path}/export/", data)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("resource", ["0", "1"])  # the file for people, the file for import
def test_admin_csv_exports_neutralise_every_formula(manager, hostile, resource):
    for path in ("customers/customer", "customers/project"):
        cells = _cells_of_csv(_admin_export(manager, path, resource, "0").decode("utf-8-sig"))
        assert not [cell for cell in cells if cell.startswith(DANGEROUS)], path
        assert f"'{HOSTILE[0]}" in cells


def test_admin_xlsx_exports_hold_no_formula(manager, hostile):
    page = manager.get("/admin/customers/customer/export/").content.decode()
    xlsx = re.search(r'<option value="(\d+)">xlsx</option>', page).group(1)
    content = _admin_export(manager, "customers/customer", "0", xlsx)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [str(cell.value) for cell in cells if cell.value is not None]
    assert not [value for value in values if value.startswith(DANGEROUS)]


def test_export_data_neutralises_and_a_round_trip_keeps_the_labels(hostile, tmp_path):
    out = io.StringIO()
    call_command("export_data", "customers", stdout=out)
    cells = _cells_of_csv(out.getvalue())
    assert not [cell for cell in cells if cell.startswith(DANGEROUS)]

    exported = tmp_path / "customers.csv"
    exported.write_text(out.getvalue())
    call_command("import_data", "customers", str(exported), stdout=io.StringIO())

    # (A label cannot start with white space through the services: those two are the export's.)
    kept = [label for label in HOSTILE if label == label.strip()]
    assert Customer.objects.filter(label__in=kept).count() == len(kept), "updated, not added"
    assert not Customer.objects.filter(label__in=[f"'{label}" for label in kept]).exists()


def test_numbers_stay_numbers():
    from niagara.spreadsheets import safe_cell

    assert safe_cell("-12.5") == "-12.5" and safe_cell(-3) == -3
    assert safe_cell("-12.5+A1") == "'-12.5+A1"
