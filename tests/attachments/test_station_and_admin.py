"""Files where people work: the station shows a step's PDF to the technician running it; the
admin uploads files, lists them, and lists an entity's files on its page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from attachments.models import Attachment
from attachments.services import AttachmentFields, attachment_upload
from demo.documents import instructions_pdf
from relations.models import RelationType
from relations.services import relation_create
from tests.factories import UnitFactory
from tests.tenancy import plant

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str, *, actor=None) -> Attachment:
    data = instructions_pdf(name, ["step one"])
    return attachment_upload(
        actor=actor,
        fields=AttachmentFields(name=f"{name}.pdf", type="application/pdf", size=len(data)),
        chunks=[data],
    )


@pytest.fixture
def guide():
    return upload("Unboxing guide")


@pytest.fixture
def floors(guide):
    from tests.factories import LocationFactory, QueueFactory, make_workflow
    from units.models import Manufacturer

    steps = {
        "unbox": {
            "step_type": "user",
            "label": "Unbox",
            "options": {
                "component": "follow-pdf-instructions",
                "payload": {"attachment_id": guide.public_id},
            },
            "goto": "done",
        },
        "done": {"step_type": "success", "label": "Done"},
    }
    workflow = make_workflow(label="Shared flow", starts_at="unbox", steps=steps)
    shared = {
        "workflow": workflow,
        "manufacturer": Manufacturer.objects.create(label="Apple"),
        "shared_queue": QueueFactory(location=LocationFactory(label="Shared site")),
    }
    return plant("Acme", people=("maria", "tess"), **shared), plant(
        "Globex", people=("greg", "gail"), **shared
    )


def test_a_manager_sees_their_customers_files_and_not_anothers(floors):
    acme, globex = floors
    client = signed_in(acme.manager)

    listed = client.get(reverse("admin:attachments_attachment_changelist"))
    unit_page = client.get(reverse("admin:units_unit_change", args=[acme["unit"].pk]))
    theirs = client.get(reverse("admin:attachments_attachment_download", args=[globex["file"].pk]))

    assert listed.status_code == 200
    assert "Acme instructions.pdf" in listed.text
    assert "Globex" not in listed.text
    assert "Acme instructions.pdf" in unit_page.text  # the unit's Files section
    assert theirs.status_code == 404
    own = client.get(reverse("admin:attachments_attachment_download", args=[acme["file"].pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content).startswith(b"%PDF-")


def test_a_manager_uploads_a_pdf_in_the_admin_and_a_non_pdf_is_a_form_error(floors):
    acme, _ = floors
    client = signed_in(acme.manager)
    url = reverse("admin:attachments_attachment_add")
    data = instructions_pdf("Kitting", ["Put the charger in the box."])

    refused = client.post(url, {"label": "", "upload": SimpleUploadedFile("x.pdf", b"GIF89a")})
    saved = client.post(url, {"label": "", "upload": SimpleUploadedFile("kitting.pdf", data)})

    assert refused.status_code == 200
    assert "not a PDF" in refused.text
    assert saved.status_code == 302
    stored = Attachment.objects.get(label="kitting.pdf")
    assert stored.content_length == len(data)
    assert stored.file.read() == data


def test_the_station_shows_the_steps_pdf_to_the_technician_running_it(floors, guide):
    from engine.models import Context

    acme, globex = floors
    run = Context.objects.filter(unit=acme["unit"]).get()
    technician = signed_in(acme.technician)

    page = technician.get(reverse("admin:engine_station_run", args=[run.pk]))
    document_url = reverse("admin:engine_station_document", args=[run.pk, guide.public_id])
    document = technician.get(document_url)

    assert page.status_code == 200
    assert document_url in page.text
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content).startswith(b"%PDF-")
    # A file no step of the run names is not read this way, nor another customer's run.
    other = upload("Other")
    assert (
        technician.get(
            reverse("admin:engine_station_document", args=[run.pk, other.public_id])
        ).status_code
        == 404
    )
    their_run = Context.objects.filter(unit=globex["unit"]).get()
    assert (
        technician.get(
            reverse("admin:engine_station_document", args=[their_run.pk, guide.public_id])
        ).status_code
        == 404
    )


def test_a_file_uploaded_by_someone_is_attached_from_the_units_page(floors):
    acme, _ = floors
    unit = UnitFactory(part=acme["part"], current_location=acme["site"], label="Acme extra")
    file = upload("Photo", actor=acme.manager)
    relation_create(subject=unit, obj=file, relation=RelationType.FILE)
    page = signed_in(acme.manager).get(reverse("admin:units_unit_change", args=[unit.pk]))
    assert "Photo.pdf" in page.text


def test_over_the_api_a_customers_people_read_only_their_files(floors):
    from tests.helpers import client_for, post_json

    acme, globex = floors
    api = client_for(acme.manager)

    listed = api.get("/api/attachments").json()["_embedded"]["nter:attachments"]
    theirs = api.get(f"/api/attachments/{globex['file'].public_id}/download")
    attach_theirs = post_json(
        api,
        f"/api/units/{acme['unit'].public_id}/relations",
        {
            "relation": "file",
            "entity": {"entity_type": "FILE", "entity_id": globex["file"].public_id},
        },
    )

    labels = [each["label"] for each in listed]
    assert "Acme instructions.pdf" in labels
    assert not [label for label in labels if "Globex" in label]
    assert theirs.status_code == 404
    assert attach_theirs.status_code == 400
    # The technician reads the files of the unit they work on.
    technician = client_for(acme.technician)
    own = technician.get(f"/api/attachments/{acme['file'].public_id}/download")
    assert own.status_code == 200
    assert technician.get(f"/api/attachments/{globex['file'].public_id}").status_code == 404
