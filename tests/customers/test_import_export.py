"""Customers from and to files: the commands and the admin, through the customer services."""

import io
import json
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from customers.models import Customer, Project
from relations.models import Relation
from tests.factories import CustomerFactory, ProgramFactory

pytestmark = pytest.mark.django_db

ACME_STATUSES = "Received=PENDING; Imaging=IN_PROGRESS; Shipped=COMPLETE"
GOOD = f"label,statuses\nAcme,{ACME_STATUSES}\nGlobex,Open=PENDING\n"
ONE_BAD = "label,statuses\nAcme,Received=PENDING\nGlobex,Open=NOT_A_CATEGORY\n"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def csv_file(tmp_path, text, name="customers.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_import_data_creates_customers_through_the_service(tmp_path):
    output = run("import_data", "customers", csv_file(tmp_path, GOOD))

    assert "Imported customers: 2 new, 0 updated." in output
    acme = Customer.objects.get(label="Acme")
    assert [s["status"] for s in acme.allowed_statuses] == ["Received", "Imaging", "Shipped"]
    assert acme.allowed_statuses[0]["order"] == 1, "stored as the service normalizes it"
    assert Relation.objects.filter(relation="created", object_id=acme.pk).exists()


def test_a_dry_run_stores_nothing(tmp_path):
    output = run("import_data", "customers", csv_file(tmp_path, GOOD), "--dry-run")

    assert "Would import customers: 2 new" in output
    assert not Customer.objects.exists()


def test_one_bad_row_imports_nothing_and_says_which(tmp_path):
    with pytest.raises(CommandError) as failure:
        run("import_data", "customers", csv_file(tmp_path, ONE_BAD))

    assert "Nothing imported" in str(failure.value) and "row 2" in str(failure.value)
    assert not Customer.objects.exists()


def test_a_label_taken_in_another_case_is_a_row_error(tmp_path):
    CustomerFactory(label="ACME")

    with pytest.raises(CommandError, match="already exists"):
        run("import_data", "customers", csv_file(tmp_path, GOOD))
    assert Customer.objects.count() == 1


def test_export_data_writes_csv_json_and_xlsx(tmp_path):
    run("import_data", "customers", csv_file(tmp_path, GOOD))

    assert "Acme,Received=PENDING; Imaging=IN_PROGRESS; Shipped=COMPLETE" in run(
        "export_data", "customers"
    )
    rows = json.loads(run("export_data", "customers", "--format", "json"))
    assert {row["label"] for row in rows} == {"Acme", "Globex"}
    target = tmp_path / "customers.xlsx"
    assert "Exported 2 customers" in run(
        "export_data", "customers", "--format", "xlsx", "--output", str(target)
    )
    assert target.read_bytes()[:2] == b"PK"  # a zip: the xlsx container
    with pytest.raises(CommandError, match="--output"):
        run("export_data", "customers", "--format", "xlsx")


def test_every_kind_exports(tmp_path):
    for kind in ("programs", "locations", "queues", "cycles"):
        assert run("export_data", kind).splitlines()[0].startswith("id,"), kind
    headers = {
        "projects": "program,label,description,statuses,labels",
        "work-orders": "project,label,begin_date,due_date,labels,needed,workflow",
        "batches": "work_order,queue,number_cycles,total",
    }
    for kind, header in headers.items():
        assert run("export_data", kind).splitlines()[0] == header, kind


def test_labels_travel_in_a_column_and_a_file_without_it_keeps_them(tmp_path):
    CustomerFactory(label="Globex", labels=["kept"])
    text = f'label,statuses,labels\nAcme,{ACME_STATUSES},"Retail, east"\n'

    run("import_data", "customers", csv_file(tmp_path, text))
    run("import_data", "customers", csv_file(tmp_path, "label,statuses\nGlobex,Open=PENDING\n"))

    assert Customer.objects.get(label="Acme").labels == ["retail", "east"]
    assert Customer.objects.get(label="Globex").labels == ["kept"]
    assert 'Acme,Received=PENDING; Imaging=IN_PROGRESS; Shipped=COMPLETE,"retail, east"' in run(
        "export_data", "customers"
    )
    with pytest.raises(CommandError, match="is not a label"):
        bad = f"label,statuses,labels\nInitech,{ACME_STATUSES},two words\n"
        run("import_data", "customers", csv_file(tmp_path, bad))
    assert not Customer.objects.filter(label="Initech").exists()


def test_the_commands_explain_themselves():
    for command in ("import_data", "export_data"):
        out = io.StringIO()
        with pytest.raises(SystemExit):
            call_command(command, "--help", stdout=out)


def test_the_admin_previews_then_imports(manager):
    upload = SimpleUploadedFile("customers.csv", GOOD.encode(), content_type="text/csv")

    preview = manager.post(
        "/admin/customers/customer/import/", {"import_file": upload, "format": "0"}
    )

    page = preview.content.decode()
    assert preview.status_code == 200 and "Acme" in page and "Globex" in page
    assert not Customer.objects.exists(), "the preview is a dry run"
    confirm = preview.context["confirm_form"]
    response = manager.post(
        "/admin/customers/customer/process_import/",
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert Customer.objects.count() == 2


def test_the_admin_shows_the_failing_row_and_offers_no_import(manager):
    upload = SimpleUploadedFile("customers.csv", ONE_BAD.encode(), content_type="text/csv")

    preview = manager.post(
        "/admin/customers/customer/import/", {"import_file": upload, "format": "0"}
    )

    assert (
        "NOT_A_CATEGORY" in preview.content.decode()
        or "should be equal" in preview.content.decode()
    )
    assert preview.context.get("confirm_form") is None
    assert not Customer.objects.exists()


def test_a_filtered_admin_list_exports(manager):
    CustomerFactory(label="Kept")
    CustomerFactory(label="Other")

    fields = {"customerresource_label": "on", "customerresource_statuses": "on"}
    # The second file of the export page: the one that imports again (the first is for people).
    form = {"resource": "1", "format": "0", **fields}
    response = manager.post("/admin/customers/customer/export/?q=Kept", form)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Kept" in body and "Other" not in body


def test_projects_import_under_their_program_and_narrow_its_statuses(tmp_path):
    acme = CustomerFactory(label="Acme")
    ProgramFactory(customer=acme, label="Stores")
    ProgramFactory(label="Stores")  # the same label, another customer's
    rows = (
        "program,label,description,statuses\n"
        "Acme / Stores,NY stores,Manhattan,Pending=PENDING\n"
        "Acme / Stores,NJ stores,,\n"
    )

    output = run("import_data", "projects", csv_file(tmp_path, rows))

    assert "2 new" in output
    ny, nj = Project.objects.get(label="NY stores"), Project.objects.get(label="NJ stores")
    assert ny.program.customer == acme and [s["status"] for s in ny.effective_statuses] == [
        "Pending"
    ]
    assert nj.allowed_statuses is None, "an empty cell inherits the program's statuses"


def test_a_project_outside_its_programs_statuses_imports_nothing(tmp_path):
    ProgramFactory(customer=CustomerFactory(label="Acme"), label="Stores")
    rows = (
        "program,label,description,statuses\n"
        "Acme / Stores,A,,\n"
        "Acme / Stores,B,,Lost=PENDING\n"
        "Nowhere / X,C,,\n"
    )

    with pytest.raises(CommandError) as failure:
        run("import_data", "projects", csv_file(tmp_path, rows))

    assert "row 2" in str(failure.value) and "row 3" in str(failure.value)
    assert not Project.objects.exists()


def test_a_file_over_the_size_limit_imports_nothing(tmp_path, settings):
    settings.NIAGARA_IMPORT_MAX_BYTES = 40

    with pytest.raises(CommandError) as failure:
        run("import_data", "customers", csv_file(tmp_path, GOOD))

    assert "imports take at most 40" in str(failure.value)
    assert not Customer.objects.exists()


def test_a_file_over_the_row_limit_imports_nothing(tmp_path, settings):
    settings.NIAGARA_IMPORT_MAX_ROWS = 1

    with pytest.raises(CommandError) as failure:
        run("import_data", "customers", csv_file(tmp_path, GOOD))

    assert "The file has 2 rows; imports take at most 1" in str(failure.value)
    assert not Customer.objects.exists()


def test_the_admin_refuses_a_file_over_the_limits(manager, settings):
    settings.NIAGARA_IMPORT_MAX_BYTES = 40
    upload = SimpleUploadedFile("customers.csv", GOOD.encode(), content_type="text/csv")

    too_big = manager.post(
        "/admin/customers/customer/import/", {"import_file": upload, "format": "0"}
    )

    assert "imports take at most 40" in too_big.content.decode()
    assert too_big.context.get("confirm_form") is None
    settings.NIAGARA_IMPORT_MAX_BYTES = 10_000
    settings.NIAGARA_IMPORT_MAX_ROWS = 1
    upload = SimpleUploadedFile("customers.csv", GOOD.encode(), content_type="text/csv")

    too_long = manager.post(
        "/admin/customers/customer/import/", {"import_file": upload, "format": "0"}
    )

    assert "The file has 2 rows; imports take at most 1" in too_long.content.decode()
    assert too_long.context.get("confirm_form") is None
    assert not Customer.objects.exists()


def _bomb() -> bytes:
    """A small .xlsx whose one part expands to 60 MB of zeros (a "zip bomb")."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60 * 1024 * 1024)
    return out.getvalue()


def test_an_expanding_spreadsheet_is_refused_before_it_is_opened(manager, tmp_path):
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()

    response = manager.post(
        "/admin/customers/customer/import/",
        {"import_file": SimpleUploadedFile("bomb.xlsx", bomb), "format": "1"},
    )

    assert time.perf_counter() - started < 2
    assert "The spreadsheet expands to 60.0" in response.content.decode()
    assert response.context.get("confirm_form") is None
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(CommandError, match="expands to"):
        run("import_data", "customers", str(path))
    assert not Customer.objects.exists()


def test_ten_thousand_and_one_rows_are_refused_in_a_blink(manager):
    rows = "".join(f"Customer {n},Pending=PENDING\n" for n in range(10_001))
    upload = SimpleUploadedFile("many.csv", f"label,statuses\n{rows}".encode())
    started = time.perf_counter()

    response = manager.post(
        "/admin/customers/customer/import/", {"import_file": upload, "format": "0"}
    )

    assert time.perf_counter() - started < 2
    assert "The file has 10001 rows; imports take at most 10000" in response.content.decode()
    assert not Customer.objects.exists()
