"""Readiness: ``GET /healthz`` answers 200 when this app server can serve, 503 when it cannot.

A load balancer or orchestrator probes it to take a server out of rotation while its database or
cache is unreachable. It reads nothing of the data, takes no lock and needs no login, so it is
cheap enough to probe every few seconds; outside the request transaction, because opening that
transaction is the first thing to fail when the database is down.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

HEALTH_MEDIA_TYPE = "application/health+json"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # A key of this probe's own: a stale value left by another probe proves nothing.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise ConnectionError("the cache did not return what was stored")
    cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


def _run(name: str, check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # a driver's own error classes: any failure is "unreachable"
        log.warning("healthz: %s unreachable: %s", name, error)
        return {"status": "fail", "output": f"{name} unreachable"}
    return {"status": "pass", "observedValue": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request):
    """Whether the database and the cache answer (the IETF health-check response format)."""
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result["status"] == "pass" for result in checks.values())
    body = {
        "status": "pass" if healthy else "fail",
        "checks": {f"{name}:responseTime": [result] for name, result in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503, content_type=HEALTH_MEDIA_TYPE)
