"""``Idempotency-Key``: a retried ``POST`` (or ``PATCH /batches``) creates nothing twice.

The first request with a key runs and, when it succeeds, its answer is stored with the key in
the same transaction as its writes. A retry with the same key and the same request gets that
answer again (``Idempotent-Replayed: true``) and writes nothing; the same key with another
request is a 422; a retry while the first is still running is a 409 (PostgreSQL; SQLite runs
writes one at a time, so the retry waits and then replays). Failed requests store nothing: they
wrote nothing, so a retry runs them again.
"""

import hashlib
import re
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone

from niagara.errors import Conflict, NiagaraError
from niagara.models import IdempotencyKey
from niagara.validation_messages import entry

from .exceptions import InvalidData
from .renderers import dumps

HEADER = "Idempotency-Key"
LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")


class KeyReused(NiagaraError):
    status_code = 422

    def __init__(self):
        super().__init__(
            "This Idempotency-Key was used for a different request (method, path or body) "
            "in the last 24 hours: use a new key for a new request"
        )


class KeyInFlight(Conflict):
    def __init__(self):
        super().__init__(
            "A request with this Idempotency-Key is still being processed: retry later"
        )


class Replay(Exception):
    """Raised to answer a retry with the stored response."""

    def __init__(self, record: IdempotencyKey):
        self.record = record

    def response(self) -> HttpResponse:
        replayed = HttpResponse(
            bytes(self.record.body),
            status=self.record.status_code,
            content_type=self.record.content_type,
        )
        replayed["Idempotent-Replayed"] = "true"
        return replayed


def fingerprint(request) -> str:
    body = dumps(request.data, sort_keys=True)
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode() + body)
    return digest.hexdigest()


def _lock_key(user_id: int, key: str) -> int:
    digest = hashlib.blake2b(f"{user_id}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def begin(request, key: str) -> str:
    """Check ``key`` for this request; return the request's fingerprint to store with its
    answer. Raise ``Replay``, ``KeyReused``, ``KeyInFlight`` or a 400 for a malformed key."""
    if not KEY_PATTERN.match(key):
        raise InvalidData(
            [entry("pattern", (HEADER,), params={"pattern": KEY_PATTERN.pattern})],
            detail="Invalid Idempotency-Key header: 1 to 255 visible ASCII characters",
        )
    user_id = request.user.pk
    if connection.vendor == "postgresql":
        # Held until this request's transaction ends: a concurrent twin is told to retry.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(user_id, key)])
            if not cursor.fetchone()[0]:
                raise KeyInFlight()
    stored = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
    if stored is not None and stored.created < timezone.now() - LIFETIME:
        stored.delete()
        stored = None
    signature = fingerprint(request)
    if stored is not None:
        if stored.fingerprint != signature:
            raise KeyReused()
        raise Replay(stored)
    return signature


def finish(request, key: str, signature: str, response) -> None:
    """Store a successful answer with its key, in the request's transaction."""
    response.render()
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                user_id=request.user.pk,
                key=key,
                fingerprint=signature,
                status_code=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=response.content,
            )
    except IntegrityError:
        # A twin finished first (SQLite has no advisory lock): this answer is not stored, and
        # its writes roll back with the request.
        raise KeyInFlight() from None


def expire(now=None) -> int:
    """Delete the keys older than their lifetime; return how many."""
    limit = (now or timezone.now()) - LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created__lt=limit).delete()
    return deleted
