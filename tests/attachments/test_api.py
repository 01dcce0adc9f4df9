"""Files over the API: announce a PDF and PUT its bytes to the upload URL, or upload it in
one multipart POST; download the same bytes; attach it to an entity with a ``file`` relation;
read it only where what it is attached to is read."""

import pytest
from django.core.files.storage import default_storage

from attachments.models import MAX_SIZE, Attachment
from tests.factories import UnitFactory, UserFactory
from tests.helpers import assert_problem, assert_status, client_for, post_json
from users.roles import FloorRole
from users.services import user_set_role

pytestmark = pytest.mark.django_db


def pdf_bytes(size: int) -> bytes:
    """A PDF of exactly ``size`` bytes (a header, then padding a reader skips)."""
    head = b"%PDF-1.4\n% Niagara test\n"
    return head + b"0" * (size - len(head))


def manager():
    person = UserFactory()
    user_set_role(person, role=FloorRole.MANAGER)
    return person


def announce(api, size, name="guide.pdf", type="application/pdf"):
    return post_json(api, "/api/attachments", {"name": name, "type": type, "size": size})


def put_bytes(client, url, data, content_type="application/pdf"):
    return client.put(url, data, content_type=content_type)


def test_a_file_is_announced_then_its_bytes_are_put_to_its_upload_url():
    api = client_for(manager())
    data = pdf_bytes(3 * 1024 * 1024)  # over Django's 2.5 MB in-memory default

    announced = announce(api, len(data))

    assert_status(announced, 200)
    body = announced.json()
    assert body["content_type"] == "application/pdf"
    assert body["content_length"] == len(data)
    assert body["uploaded"] is False
    assert body["file_id"] == body["attachment_id"]
    links = body["_links"]
    assert links["self"]["href"].endswith(f"/api/attachments/{body['attachment_id']}")
    assert links["nter:download-attachment"]["href"].endswith("/download")
    upload_url = links["nter:upload-attachment"]["href"]

    from django.test import Client

    stored = put_bytes(Client(), upload_url, data)  # no token: the signature is the key

    assert_status(stored, 200)
    assert stored.json()["uploaded"] is True
    assert "nter:upload-attachment" not in stored.json()["_links"]
    download = api.get(links["nter:download-attachment"]["href"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == data
    # Files never change.
    assert_problem(put_bytes(Client(), upload_url, data), 409, "Conflict")


def test_a_multipart_post_uploads_a_file_in_one_step():
    api = client_for(manager())
    data = pdf_bytes(3 * 1024 * 1024)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        "/api/attachments",
        {
            "name": "unboxing.pdf",
            "type": "application/pdf",
            "size": str(len(data)),
            "file": SimpleUploadedFile("unboxing.pdf", data, "application/pdf"),
        },
        format="multipart",
    )

    assert_status(response, 200)
    body = response.json()
    assert body["label"] == "unboxing.pdf"
    assert body["uploaded"] is True
    download = api.get(body["_links"]["nter:download-attachment"]["href"])
    assert b"".join(download.streaming_content) == data


def test_what_is_not_a_pdf_of_at_most_10_mb_is_refused_and_nothing_is_kept():
    api = client_for(manager())
    from django.core.files.uploadedfile import SimpleUploadedFile

    too_large = announce(api, MAX_SIZE + 1)
    assert_problem(too_large, 413, "Payload too Large")
    assert_problem(announce(api, 100, type="image/png"), 400, "Bad Request")
    not_a_pdf = api.post(
        "/api/attachments",
        {"file": SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n" + b"0" * 100, "application/pdf")},
        format="multipart",
    )
    assert_problem(not_a_pdf, 415, "Unsupported Media Type")
    assert announce(api, MAX_SIZE).status_code == 200  # exactly 10 MB is allowed
    assert Attachment.objects.count() == 1


def test_an_oversized_multipart_body_is_refused_before_it_is_read():
    api = client_for(manager())
    response = api.generic(
        "POST",
        "/api/attachments",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_SIZE * 2),
    )
    assert_problem(response, 413, "Payload too Large")
    assert not Attachment.objects.exists()


def test_the_bytes_put_must_be_the_ones_announced():
    from django.test import Client

    api = client_for(manager())
    body = announce(api, 1000).json()
    url = body["_links"]["nter:upload-attachment"]["href"]

    assert_problem(put_bytes(Client(), url, pdf_bytes(2000)), 413, "Payload too Large")
    assert_problem(put_bytes(Client(), url, pdf_bytes(500)), 400, "Bad Request")
    assert_problem(put_bytes(Client(), url, b"x" * 1000), 415, "Unsupported Media Type")
    forged = url.replace("signature=", "signature=x")
    assert_problem(put_bytes(Client(), forged, pdf_bytes(1000)), 403, "Forbidden")
    other = announce(api, 1000).json()["attachment_id"]
    stolen = url.replace(body["attachment_id"], other)
    assert_problem(put_bytes(Client(), stolen, pdf_bytes(1000)), 403, "Forbidden")
    file = Attachment.objects.get(public_id=body["attachment_id"])
    assert not file.uploaded
    assert_problem(api.get(body["_links"]["nter:download-attachment"]["href"]), 409, "Conflict")
    assert_status(put_bytes(Client(), url, pdf_bytes(1000)), 200)
    file.refresh_from_db()
    assert default_storage.exists(file.file.name)


def test_downloads_need_a_token():
    api = client_for(manager())
    body = announce(api, 1000).json()
    from rest_framework.test import APIClient

    response = APIClient().get(body["_links"]["nter:download-attachment"]["href"])
    assert_problem(response, 401, "Unauthorized")


def uploaded_file(api, size=1000) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        "/api/attachments",
        {"file": SimpleUploadedFile("photo.pdf", pdf_bytes(size), "application/pdf")},
        format="multipart",
    )
    assert_status(response, 200)
    return response.json()


def attach(api, collection, entity_id, file_id):
    return post_json(
        api,
        f"/api/{collection}/{entity_id}/relations",
        {"relation": "file", "entity": {"entity_type": "FILE", "entity_id": file_id}},
    )


def test_a_file_attached_to_a_unit_is_listed_with_it():
    api = client_for(manager())
    unit = UnitFactory()
    file = uploaded_file(api)

    linked = attach(api, "units", unit.public_id, file["attachment_id"])

    assert_status(linked, 201)
    relations = api.get(f"/api/units/{unit.public_id}/relations").json()
    files = [
        each for each in relations["_embedded"]["nter:relations"] if each["relation"] == "file"
    ]
    assert [each["entity"]["entity_id"] for each in files] == [file["attachment_id"]]
    listed = api.get("/api/attachments").json()["_embedded"]["nter:attachments"]
    assert file["attachment_id"] in [each["attachment_id"] for each in listed]


def test_attachment_for_relates_a_file_to_something():
    api = client_for(manager())
    unit, other = UnitFactory(), UnitFactory()
    response = post_json(
        api,
        f"/api/units/{unit.public_id}/relations",
        {"relation": "file", "entity": {"entity_type": "UNIT", "entity_id": other.public_id}},
    )
    assert_problem(response, 400, "Bad Request")


def test_deleting_an_entity_takes_the_files_attached_to_it_alone(
    django_capture_on_commit_callbacks,
):
    api = client_for(manager())
    unit, other = UnitFactory(), UnitFactory()
    own = uploaded_file(api)
    shared = uploaded_file(api)
    attach(api, "units", unit.public_id, own["attachment_id"])
    attach(api, "units", unit.public_id, shared["attachment_id"])
    attach(api, "units", other.public_id, shared["attachment_id"])
    own_name = Attachment.objects.get(public_id=own["attachment_id"]).file.name

    with django_capture_on_commit_callbacks(execute=True):
        unit.delete()

    assert not Attachment.objects.filter(public_id=own["attachment_id"]).exists()
    assert Attachment.objects.filter(public_id=shared["attachment_id"]).exists()
    assert not default_storage.exists(own_name)


S3 = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "niagara-files",
            "endpoint_url": "https://objects.example.com",
            "region_name": "us-east-1",
            "access_key": "AKIDEXAMPLE",
            "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "querystring_auth": True,
            "signature_version": "s3v4",
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def test_on_object_storage_the_upload_url_is_the_buckets_presigned_put(settings):
    from urllib.parse import parse_qs, urlsplit

    api = client_for(manager())
    settings.STORAGES = S3

    body = announce(api, 2048).json()

    url = urlsplit(body["_links"]["nter:upload-attachment"]["href"])
    query = parse_qs(url.query)
    assert url.netloc == "objects.example.com"
    assert url.path == f"/niagara-files/attachments/{body['attachment_id']}.pdf"
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["3600"]
    assert "X-Amz-Signature" in query
