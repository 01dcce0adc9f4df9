"""Files over the API: announce (JSON) or upload (multipart), list, fetch, download, and the
signed upload URL that takes a file's bytes."""

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from niagara.api.exceptions import NotFound
from niagara.api.fields import api_root
from niagara.api.parsers import HalJSONParser, LimitedJSONParser
from niagara.api.viewsets import CreateModelMixin, NiagaraViewSet
from niagara.errors import Conflict, Forbidden, TooLarge

from .. import services
from ..downloads import file_response
from ..models import MAX_SIZE, PDF
from ..selectors import attachments_for_display
from .serializers import AttachmentSerializer, AttachmentSignSerializer, AttachmentUploadSerializer

# A multipart body is the file and three short fields: what is over this is refused unread.
MULTIPART_OVERHEAD = 64 * 1024


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Stream an uploaded part to a temporary file, and stop at 10 MB (a body that did not say
    its length, or lied about it, is not read to its end)."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_SIZE:
            raise TooLarge(f"A file may be at most {MAX_SIZE} bytes (10 MB)")
        return super().receive_data_chunk(raw_data, start)


def _refuse_oversized(request, limit: int) -> None:
    """413 before the body is read, when the request says it is over ``limit`` bytes."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise TooLarge(f"A file may be at most {MAX_SIZE} bytes (10 MB); the body is {length}")


def upload_url_maker(request):
    """Make a file's upload URL: the object storage's pre-signed URL, else Niagara's own signed
    ``/attachments/{id}/upload`` URL."""
    root = api_root(request)

    def upload_url(attachment):
        presigned = services.presigned_upload_url(attachment)
        if presigned is not None:
            return presigned
        token = services.upload_token(attachment)
        return f"{root}attachments/{attachment.public_id}/upload?signature={token}"

    return upload_url


@extend_schema_view(
    list=extend_schema(
        summary="Fetch attachments",
        operation_id="fetchAttachments",
        description="The files the caller may read: those attached to what they may read (a "
        '`file` relation, "Attachment For"), those they uploaded, all of them with '
        "`file:read` everywhere.",
    ),
    retrieve=extend_schema(summary="Fetch attachment", operation_id="getAttachment"),
    create=extend_schema(
        summary="Create (sign) attachment",
        operation_id="signAttachment",
        description="Announces a PDF of at most 10 MB (`name`, `type`, `size`): the answer is "
        "the file with its upload URL (`_links.nter:upload-attachment`), to which the client "
        "`PUT`s the raw bytes. Or uploads it at once: `multipart/form-data` with the file in "
        "part `file`. Files never change once uploaded; attach one to an entity with a `file` "
        'relation ("Attachment For") from that entity (which needs its `:attach` permission).',
        request={
            "application/json": AttachmentSignSerializer,
            "multipart/form-data": AttachmentUploadSerializer,
        },
        responses={
            200: AttachmentSerializer,
            413: OpenApiResponse(description="The file is over 10 MB (10,485,760 bytes)"),
            415: OpenApiResponse(
                description="The body is neither JSON nor multipart, or the "
                "uploaded file is not a PDF"
            ),
        },
    ),
)
class AttachmentViewSet(
    CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, NiagaraViewSet
):
    collection = "attachments"
    queryset = attachments_for_display()
    serializer_class = AttachmentSerializer
    lookup_url_kwarg = "attachment_id"
    parser_classes = [LimitedJSONParser, HalJSONParser, MultiPartParser]
    http_method_names = ["get", "post", "head", "options"]
    conditional = False  # a file never changes: no precondition to check

    # Who may upload was decided before the body was read (``file:create`` held anywhere: a
    # file belongs to nothing until it is attached), so no create check on the body.

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "upload_url": upload_url_maker(self.request)}

    def create(self, request, *args, **kwargs):
        if request.content_type.startswith("multipart/"):
            return self._upload(request)
        body = AttachmentSignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = services.AttachmentFields(**body.validated_data)
        attachment = services.attachment_sign(actor=request.user, fields=fields)
        return Response(self.get_serializer(attachment).data)

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body (an idempotency key's fingerprint reads it first).
        request.upload_handlers = [CappedUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        if request.method == "POST" and request.content_type.startswith("multipart/"):
            _refuse_oversized(request, MAX_SIZE + MULTIPART_OVERHEAD)
        super().initial(request, *args, **kwargs)

    def _upload(self, request):
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        part = body.validated_data["file"]
        fields = services.AttachmentFields(
            name=body.validated_data.get("name") or part.name,
            type=body.validated_data.get("type") or PDF,
            size=body.validated_data.get("size") or part.size,
        )
        attachment = services.attachment_upload(
            actor=request.user, fields=fields, chunks=part.chunks()
        )
        return Response(
            AttachmentSerializer(attachment, context=self.get_serializer_context()).data
        )

    def retrieve(self, request, *args, **kwargs):
        attachment = services.confirm_remote_upload(self.get_object())
        return Response(self.get_serializer(attachment).data)

    @extend_schema(
        summary="Download attachment",
        operation_id="downloadAttachment",
        description="The file's bytes, as uploaded, with its content type.",
        responses={
            (200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The file"),
            409: OpenApiResponse(description="The file's bytes have not been uploaded yet"),
        },
    )
    def download(self, request, *args, **kwargs):
        attachment = services.confirm_remote_upload(self.get_object())
        if not attachment.uploaded:
            raise Conflict("The file's bytes have not been uploaded yet")
        return file_response(attachment)


class AttachmentUploadViewSet(NiagaraViewSet):
    collection = ""
    authentication_classes = []
    permission_classes = [AllowAny]
    lookup_url_kwarg = "attachment_id"
    http_method_names = ["put", "options"]
    takes_requestor = False
    conditional = False
    serializer_class = AttachmentSerializer
    queryset = attachments_for_display()

    def allowed_query_params(self) -> set[str]:
        return {*super().allowed_query_params(), "signature"}

    @extend_schema(
        summary="Upload attachment bytes",
        operation_id="uploadAttachment",
        description="The upload URL of a file (`_links.nter:upload-attachment` of `POST "
        "/attachments`): `PUT` the raw PDF, exactly the size announced. The signature is the "
        "authorization (no token); it is good for one file, for an hour. A file is uploaded once.",
        parameters=[
            OpenApiParameter(
                "signature", OpenApiTypes.STR, required=True, description="From the link"
            )
        ],
        request={PDF: OpenApiTypes.BINARY, "application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: AttachmentSerializer,
            400: OpenApiResponse(description="Fewer bytes than announced"),
            403: OpenApiResponse(
                description="The signature is forged, expired or for another file"
            ),
            409: OpenApiResponse(description="The file was uploaded already: files never change"),
            413: OpenApiResponse(description="More bytes than announced"),
            415: OpenApiResponse(description="The bytes are not a PDF"),
        },
    )
    def upload(self, request, *args, **kwargs):
        public_id = self.kwargs["attachment_id"]
        attachment = services.attachment_for_token(
            public_id, request.query_params.get("signature", "")
        )
        if attachment is None:
            if not self.get_queryset().filter(public_id=public_id).exists():
                raise NotFound(f'A Resource with the id "{public_id}" was not found')
            raise Forbidden("The upload URL is forged, expired or for another file")
        _refuse_oversized(request, attachment.content_length)
        stream = request._request
        stored = services.attachment_store(
            attachment, iter(lambda: stream.read(64 * 1024), b""), actor=attachment.created_by
        )
        context = {"request": request}
        return Response(AttachmentSerializer(stored, context=context).data)
