"""Throttling: counters in a cache every worker shares (the database, or Redis), failed
authentication throttled per client address, and 429 problems with Retry-After."""

import socket
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.helpers import assert_problem, assert_status, client_for

# The database cache writes through its own connection ("cache"): the test commits.
pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")

DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "niagara_cache",
}
REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
}
RATES = {"anon": "3/minute", "user": "3/minute", "auth_failures": "3/minute"}


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def _postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(
    params=[
        pytest.param(
            "database",
            marks=pytest.mark.skipif(
                not _postgres(), reason="the database cache is PostgreSQL's (SQLite: memory)"
            ),
        ),
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379"),
        ),
    ]
)
def shared_cache(request):
    backend = DATABASE_CACHE if request.param == "database" else REDIS_CACHE
    with override_settings(CACHES={"default": backend}):
        if request.param == "database":
            call_command("createcachetable", verbosity=0)
        caches["default"].clear()
        with mock.patch("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", RATES):
            yield request.param
        caches["default"].clear()


def another_worker_reads(key: str):
    """Read ``key`` through a new cache connection, as another worker process would."""
    return caches.create_connection("default").get(key)


def test_the_request_limit_is_shared_by_every_worker(shared_cache):
    user = UserFactory()
    client = client_for(user)

    answers = [client.get("/api/me").status_code for _ in range(3)]
    counted = another_worker_reads(f"throttle_user_{user.pk}")
    refused = client.get("/api/me")

    assert answers == [200, 200, 200]
    assert counted is not None and len(counted) == 3, "the count lives outside the process"
    problem = assert_problem(refused, 429, "Too Many Requests")
    assert int(refused["Retry-After"]) > 0 and "throttled" in problem["detail"].lower()


def test_wrong_tokens_are_throttled_per_client_address(shared_cache):
    anonymous = APIClient()
    wrong = [anonymous.get("/api/me", HTTP_AUTHORIZATION=f"Bearer wrong-{n}") for n in range(4)]
    valid = client_for(UserFactory()).get("/api/me")
    elsewhere = anonymous.get("/api/me", HTTP_AUTHORIZATION="Bearer wrong", REMOTE_ADDR="10.0.0.9")

    assert [r.status_code for r in wrong] == [401, 401, 401, 429]
    assert int(wrong[-1]["Retry-After"]) > 0
    assert another_worker_reads("throttle_auth_failures_127.0.0.1") is not None
    assert_status(valid, 200)
    assert_problem(elsewhere, 401, "Unauthorized")


def test_the_default_cache_is_shared_not_per_process():
    """Production settings (not the test suite's): the database cache on its own connection
    (PostgreSQL), or Redis by URL."""
    import importlib
    import os

    from niagara import settings as production

    try:
        if _postgres():
            assert production.CACHES["default"] == DATABASE_CACHE
            assert production.DATABASES["cache"]["ATOMIC_REQUESTS"] is False
            assert production.DATABASE_ROUTERS == ["niagara.db_routers.CacheRouter"]
        with mock.patch.dict(os.environ, {"REDIS_URL": "redis://cache:6379/0"}):
            importlib.reload(production)
            assert production.CACHES["default"]["BACKEND"].endswith("RedisCache")
            assert production.CACHES["default"]["LOCATION"] == "redis://cache:6379/0"
    finally:
        importlib.reload(production)
