"""Writes of files: announce one (name, type, size), upload its bytes once, attach it.

The one path the API, the admin and commands share. Bytes go through Django's storage API:
the file system by default, S3-compatible object storage by settings (``deploy.md``), where
the upload URL is the storage's own pre-signed URL and the bytes never pass through Niagara.
"""

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from niagara.errors import Conflict, TooLarge, UnsupportedType
from relations.models import Relation, RelationType
from relations.services import delete_entity, save_entity

from .models import MAX_SIZE, PDF, Attachment, stored_name

# How long an upload URL stays good.
UPLOAD_URL_SECONDS = 3600
_UPLOAD_SALT = "attachments.upload"
PDF_MAGIC = b"%PDF-"


@dataclass(kw_only=True)
class AttachmentFields:
    name: str
    type: str
    size: int


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def check_announced(fields: AttachmentFields) -> None:
    """A file is a PDF of 1 byte to 10 MB with a name: over the size is a 413, the rest 400."""
    if not fields.name.strip():
        raise _invalid("name", "should not be blank", "minLength")
    if fields.type != PDF:
        raise _invalid("type", f'should be "{PDF}": only PDF files are kept', "enum")
    if fields.size > MAX_SIZE:
        raise TooLarge(f"A file may be at most {MAX_SIZE} bytes (10 MB); this one is {fields.size}")
    if fields.size < 1:
        raise _invalid("size", "should be at least 1", "minimum")


@transaction.atomic
def attachment_sign(*, actor, fields: AttachmentFields) -> Attachment:
    """Announce a file: its record, whose bytes are then uploaded to its upload URL."""
    check_announced(fields)
    attachment = Attachment(
        label=fields.name.strip(),
        content_type=fields.type,
        content_length=fields.size,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.full_clean()
    return save_entity(attachment, actor=actor)


@transaction.atomic
def attachment_store(attachment: Attachment, chunks: Iterable[bytes], *, actor) -> Attachment:
    """Store the bytes of an announced file: exactly as many as announced, a PDF, once.

    Read a chunk at a time into a spooled file (memory up to 1 MB, then disk): more bytes than
    announced stop the read at once (413)."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.uploaded:
        raise Conflict("A file's bytes never change: announce a new file to upload others")
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
        received = 0
        for chunk in chunks:
            received += len(chunk)
            if received > attachment.content_length:
                raise TooLarge(
                    f"More bytes than the {attachment.content_length} the file announced"
                )
            spool.write(chunk)
        if received < attachment.content_length:
            raise _invalid(
                "size",
                f"the file announced {attachment.content_length} bytes; {received} arrived",
                "const",
            )
        spool.seek(0)
        if spool.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise UnsupportedType("The file is not a PDF: only PDF files are kept")
        spool.seek(0)
        attachment.file.save(stored_name(attachment), File(spool), save=False)
    try:
        return save_entity(attachment, actor=actor)
    except BaseException:
        default_storage.delete(attachment.file.name)  # no record, no bytes
        raise


def attachment_upload(*, actor, fields: AttachmentFields, chunks: Iterable[bytes]) -> Attachment:
    """Announce and store a file in one step (a multipart upload, the admin's form)."""
    with transaction.atomic():
        return attachment_store(attachment_sign(actor=actor, fields=fields), chunks, actor=actor)


def confirm_remote_upload(attachment: Attachment) -> Attachment:
    """On object storage the client PUTs the bytes straight to the bucket: the file is taken
    as uploaded once the bucket holds an object of the announced size that is a PDF."""
    if attachment.uploaded or presigned_upload_url(attachment) is None:
        return attachment
    name = stored_name(attachment)
    if not default_storage.exists(name) or default_storage.size(name) != attachment.content_length:
        return attachment
    with default_storage.open(name) as stored:
        if stored.read(len(PDF_MAGIC)) != PDF_MAGIC:
            return attachment
    Attachment.objects.filter(pk=attachment.pk, file="").update(file=name)
    attachment.file.name = name
    return attachment


def upload_token(attachment: Attachment) -> str:
    """The signature of an upload URL: good for one file, for ``UPLOAD_URL_SECONDS``."""
    return signing.dumps(attachment.public_id, salt=_UPLOAD_SALT)


def attachment_for_token(public_id: str, token: str) -> Attachment | None:
    """The file an upload URL's signature is good for (None: forged, expired or another's)."""
    try:
        signed = signing.loads(token, salt=_UPLOAD_SALT, max_age=UPLOAD_URL_SECONDS)
    except signing.BadSignature:
        return None
    if signed != public_id:
        return None
    return Attachment.objects.filter(public_id=public_id).first()


def presigned_upload_url(attachment: Attachment) -> str | None:
    """The object storage's own pre-signed PUT URL for the file's bytes (None on a storage
    that has none: the file system)."""
    bucket = getattr(default_storage, "bucket_name", None)
    connection = getattr(default_storage, "connection", None) if bucket else None
    if connection is None:
        return None
    return connection.meta.client.generate_presigned_url(
        "put_object",
        Params={
            "Bucket": bucket,
            "Key": default_storage._normalize_name(stored_name(attachment)),
            "ContentType": attachment.content_type,
            "ContentLength": attachment.content_length,
        },
        ExpiresIn=UPLOAD_URL_SECONDS,
        HttpMethod="PUT",
    )


@transaction.atomic
def attachment_delete(attachment: Attachment, /, *, actor) -> None:
    """Delete a file (its relations go with it; its bytes once the deletion is committed)."""
    delete_entity(attachment, actor=actor)


@receiver(post_delete, sender=Attachment, dispatch_uid="attachments-delete-bytes")
def _delete_bytes(sender, instance, **kwargs):
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def file_relations(content_type: ContentType, pk: int) -> models.Q:
    """The ``file`` relations with one end at the entity (``content_type``, ``pk``)."""
    return models.Q(relation=RelationType.FILE) & (
        models.Q(subject_type=content_type, subject_id=pk)
        | models.Q(object_type=content_type, object_id=pk)
    )


def files_of_deleted_entity(instance: models.Model) -> None:
    """Before an entity is deleted: the files attached to it and to nothing else are deleted
    with it (their history says so); a file attached elsewhere too stays there."""
    if isinstance(instance, Attachment):
        return
    file_type = ContentType.objects.get_for_model(Attachment)
    links = Relation.objects.filter(
        file_relations(ContentType.objects.get_for_model(instance), instance.pk)
    )
    attached = {
        subject_id if subject_type == file_type.pk else object_id
        for subject_type, subject_id, object_type, object_id in links.values_list(
            "subject_type", "subject_id", "object_type", "object_id"
        )
        if file_type.pk in (subject_type, object_type)
    }
    if not attached:
        return
    elsewhere = set()
    for pk in attached:
        others = Relation.objects.filter(file_relations(file_type, pk)).exclude(pk__in=links)
        if others.exists():
            elsewhere.add(pk)
    for attachment in Attachment.objects.filter(pk__in=attached - elsewhere):
        attachment._history_user = getattr(instance, "_history_user", None)
        attachment.delete()
