from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from niagara.api import rels
from niagara.api.fields import HalLinksField, StrictCharField, StrictIntegerField
from niagara.api.serializers import ResourceSerializer, StrictSerializer

from ..models import MAX_SIZE, PDF, Attachment

UPLOAD_REL = "nter:upload-attachment"
rels.register(
    UPLOAD_REL,
    "On a file not uploaded yet, for the person who announced it: where to `PUT` its bytes "
    "(the raw PDF, exactly the size announced). A signed URL that needs no token and expires "
    "after an hour; on object storage, the bucket's own pre-signed URL.",
)

SIZE_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}
TYPE_SCHEMA = {"type": "string", "enum": [PDF]}


@extend_schema_field(SIZE_SCHEMA)
class SizeField(StrictIntegerField):
    """The announced size: over 10 MB is the service's 413, not a 400 (the docs' code)."""


@extend_schema_field(TYPE_SCHEMA)
class TypeField(StrictCharField):
    """The content type: anything but a PDF is the service's 400, with its reason."""


@extend_schema_field(TYPE_SCHEMA)
class FormTypeField(serializers.CharField):
    """A form's content type: anything but a PDF is the service's 400, with its reason."""


class AttachmentSignSerializer(StrictSerializer):
    """``POST /attachments`` as JSON: announce a file, then upload its bytes to its URL."""

    name = StrictCharField(max_length=255, help_text="The file's name")
    type = TypeField(help_text="The file's content type: only `application/pdf`")
    size = SizeField(help_text="The file's size in bytes (at most 10 MB: 10,485,760)")


class AttachmentUploadSerializer(serializers.Serializer):
    """``POST /attachments`` as ``multipart/form-data``: the file in part ``file`` (form
    fields are strings: ``size`` is read as a number)."""

    name = serializers.CharField(max_length=255, required=False, help_text="Default: the part's")
    type = FormTypeField(required=False, help_text="Default: `application/pdf`")
    size = serializers.IntegerField(
        required=False, min_value=1, help_text="Default: the part's size"
    )
    file = serializers.FileField(help_text="The PDF")


class AttachmentLinksField(HalLinksField):
    """The file's links, and its upload URL for whoever announced it until it is uploaded
    (``upload_url`` in the serializer's context, made by the view)."""

    conditional_links = {UPLOAD_REL: "Until the file is uploaded, to whoever announced it"}

    def to_representation(self, obj):
        links = super().to_representation(obj)
        request = self.context.get("request")
        upload_url = self.context.get("upload_url")
        if (
            upload_url is not None
            and not obj.uploaded
            and request is not None
            and obj.created_by_id == request.user.pk
        ):
            links[UPLOAD_REL] = {"href": upload_url(obj)}
        return links


class AttachmentSerializer(ResourceSerializer):
    attachment_id = serializers.CharField(source="public_id", read_only=True)
    file_id = serializers.CharField(
        source="public_id", read_only=True, help_text="The same id (the docs' schema name)"
    )
    content_type = serializers.CharField(read_only=True)
    content_length = serializers.IntegerField(read_only=True)
    uploaded = serializers.BooleanField(
        read_only=True, help_text="Whether the file's bytes arrived (downloadable)"
    )
    _links = AttachmentLinksField(
        {
            "self": "attachments/{obj.public_id}",
            "nter:download-attachment": "attachments/{obj.public_id}/download",
        }
    )

    class Meta:
        model = Attachment
        fields = [
            "attachment_id",
            "file_id",
            "label",
            "created",
            "updated",
            "content_type",
            "content_length",
            "uploaded",
            "_links",
        ]
        read_only_fields = ["label"]
