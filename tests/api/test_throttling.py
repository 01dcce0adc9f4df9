"""Throttling: counters that cost no database query (the process's memory, or Redis that every
worker shares), failed authentication throttled per client address, and 429 problems with
Retry-After."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.helpers import assert_problem, assert_status, client_for, redis_up

pytestmark = pytest.mark.django_db

MEMORY_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS_CACHE = {
    "BACKEND": "niagara.cache.ForgivingRedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
    # A loaded test runner may take longer than production's half second to answer: these
    # tests are about sharing counts, not about a slow Redis (tests/serving/test_redis_down.py).
    "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 5},
}
RATES = {"anon": "3/minute", "user": "3/minute", "auth_failures": "3/minute"}


@pytest.fixture
def shared_cache():
    if not redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES={"default": REDIS_CACHE}):
        caches["default"].clear()
        with mock.patch("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", RATES):
            yield "redis"
        caches["default"].clear()


@pytest.fixture
def memory_cache():
    with override_settings(CACHES={"default": MEMORY_CACHE}):
        caches["default"].clear()
        with mock.patch("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", RATES):
            yield "memory"
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


def test_counting_a_request_costs_no_database_query(memory_cache):
    """Throttling runs on every request: its counters never touch the database."""
    user = UserFactory()
    client = client_for(user)
    client.get("/api/me")  # warm: the first request may read content types and the like

    with CaptureQueriesContext(connection) as counted:
        answer = client.get("/api/me")
    refused = [client.get("/api/me").status_code for _ in range(2)]

    assert_status(answer, 200)
    assert refused == [200, 429], "the counter lives in memory and still limits"
    touching_cache = [q["sql"] for q in counted.captured_queries if "cache" in q["sql"].lower()]
    assert touching_cache == []
    unlimited = mock.patch(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES",
        {"anon": None, "user": None, "auth_failures": None},
    )
    with unlimited, CaptureQueriesContext(connection) as unthrottled:
        client.get("/api/me")
    assert len(counted.captured_queries) == len(unthrottled.captured_queries)


def test_the_default_cache_is_memory_or_redis_by_url():
    """Production settings (not the test suite's): the process's memory, or Redis by URL."""
    import importlib
    import os

    from niagara import settings as production

    try:
        with mock.patch.dict(os.environ, {"REDIS_URL": ""}):
            importlib.reload(production)
            assert production.CACHES["default"] == MEMORY_CACHE
            assert "cache" not in production.DATABASES
        with mock.patch.dict(os.environ, {"REDIS_URL": "redis://cache:6379/0"}):
            importlib.reload(production)
            assert production.CACHES["default"]["BACKEND"].endswith("RedisCache")
            assert production.CACHES["default"]["LOCATION"] == "redis://cache:6379/0"
    finally:
        importlib.reload(production)
