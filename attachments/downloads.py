"""A file's bytes as a response: one place for the API, the admin and the station."""

from django.http import FileResponse

from .models import Attachment


def file_response(attachment: Attachment) -> FileResponse:
    """The stored bytes, inline, with the file's name and type (``nosniff``: a PDF is a PDF)."""
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.label
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
