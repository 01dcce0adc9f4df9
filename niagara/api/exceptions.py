"""The one error path of the API: every failure becomes an RFC 7807 problem document.

Services raise ``NiagaraError`` subclasses (or Django's ``ValidationError``); the viewsets never
build error responses themselves.
"""

import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from niagara.errors import (
    DEFAULT_DETAILS,
    RETRY_AFTER_SECONDS,
    Conflict,
    InvalidData,
    Locked,
    NiagaraError,
    NotFound,
    database_unavailable,
)
from niagara.validation_messages import entry

from .validation import messages_from_django_error, messages_from_serializer_errors

__all__ = ["Conflict", "InvalidData", "Locked", "NiagaraError", "NotFound", "problem_body"]

logger = logging.getLogger("niagara.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Model rules about stored state rather than the body's own validity.
STATE_KEYWORDS = frozenset({"inUse"})
PROBLEM_TYPE_BASE = "https://docs.nterprise.com/api/problem/"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Payload too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_body(status_code: int, detail: str, **extra) -> dict:
    """Return an RFC 7807 body in the shape of the Niagara docs."""
    title = TITLES.get(status_code) or HTTPStatus(status_code).phrase
    return {
        "title": title,
        "type": PROBLEM_TYPE_BASE + title.replace(" ", "").replace("-", ""),
        "status": status_code,
        "detail": detail,
        **extra,
    }


def _problem_for(exc: Exception) -> tuple[int, dict, dict]:
    """Return (status, body, headers) for ``exc``, or raise ``LookupError`` if unknown."""
    if isinstance(exc, InvalidData):
        body = problem_body(400, exc.detail, validation_messages=exc.validation_messages)
        return 400, body, {}
    if isinstance(exc, NiagaraError):
        return exc.status_code, problem_body(exc.status_code, exc.detail, **exc.extra), {}
    if isinstance(exc, DjangoValidationError):
        messages = messages_from_django_error(exc)
        if messages and all(m["keyword"] in STATE_KEYWORDS for m in messages):
            # A valid body that conflicts with what is stored (a status still in use): 409.
            detail = "The change conflicts with the resource's current state"
            return 409, problem_body(409, detail, validation_messages=messages), {}
        return 400, problem_body(400, DEFAULT_DETAILS[400], validation_messages=messages), {}
    if isinstance(exc, ProtectedError | RestrictedError):
        blockers = sorted({str(obj._meta.verbose_name_plural) for obj in exc.args[1]})
        detail = f"{DEFAULT_DETAILS[423]}: it still has {', '.join(blockers)}"
        return 423, problem_body(423, detail), {}
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, problem_body(413, f"The request body is over {limit} bytes"), {}
    if database_unavailable(exc):
        logger.warning("database unavailable: %s", exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return 503, problem_body(503, DEFAULT_DETAILS[503]), headers
    if isinstance(exc, IntegrityError):
        # A uniqueness race lost after the service's own check passed.
        return 409, problem_body(409, DEFAULT_DETAILS[409]), {}
    if isinstance(exc, Http404 | drf.NotFound):
        return 404, problem_body(404, _not_found_detail(exc)), {}
    if isinstance(exc, DjangoPermissionDenied):
        return 403, problem_body(403, DEFAULT_DETAILS[403]), {}
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return 401, problem_body(401, DEFAULT_DETAILS[401]), {}
    if isinstance(exc, drf.PermissionDenied):
        return 403, problem_body(403, DEFAULT_DETAILS[403]), {}
    if isinstance(exc, drf.ValidationError):
        # Raised outside our serializers (e.g. by query filters): same message shape.
        messages = messages_from_serializer_errors(exc.detail, None)
        return 400, problem_body(400, DEFAULT_DETAILS[400], validation_messages=messages), {}
    if isinstance(exc, drf.ParseError):
        message = entry("parse", message=str(exc.detail))
        return 400, problem_body(400, "Malformed request body", validation_messages=[message]), {}
    if isinstance(exc, drf.APIException):
        headers = {}
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        return exc.status_code, problem_body(exc.status_code, str(exc.detail)), headers
    raise LookupError(exc)


def _not_found_detail(exc: Exception) -> str:
    detail = str(exc)
    # Django's and DRF's own texts ("No Customer matches the given query.") leak model names.
    if detail.startswith("A Resource with the id"):
        return detail
    return DEFAULT_DETAILS[404]


def problem_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF exception handler: render ``exc`` as a problem and roll the transaction back."""
    set_rollback()
    try:
        status_code, body, headers = _problem_for(exc)
    except LookupError:
        view = context.get("view")
        logger.exception("Unhandled error in %s", view.__class__.__name__ if view else "API")
        status_code, body, headers = 500, problem_body(500, DEFAULT_DETAILS[500]), {}
    if status_code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response = Response(body, status=status_code, headers=headers)
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or getattr(renderer, "format", None) == "json":
        response.content_type = PROBLEM_MEDIA_TYPE
    return response


def reference_error(path: tuple[str, ...], message: str, **params) -> InvalidData:
    """Return the 400 for a body reference to an entity that does not exist."""
    return InvalidData([entry("exists", path, params=params, message=message)])
