"""Redis unreachable (a closed port): requests still succeed — throttling fails open — the
log says once which store failed, /healthz reports the cache, and it comes back by itself."""

import logging
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from niagara import cache as forgiving
from tests.helpers import post_json, redis_up

pytestmark = pytest.mark.django_db

DOWN = {
    "BACKEND": "niagara.cache.ForgivingRedisCache",
    "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on port 9: refused
}
UP = {"BACKEND": "niagara.cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}
RATES = {"anon": "1000/minute", "user": "1000/minute", "auth_failures": "1000/minute"}


@pytest.fixture
def redis_down():
    with override_settings(CACHES={"default": DOWN}):
        caches.close_all()
        with mock.patch("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", RATES):
            yield
    caches.close_all()


def test_lists_and_creates_answer_with_redis_down_and_the_log_says_so_once(
    api, client, redis_down, caplog
):
    caplog.set_level(logging.WARNING, logger="niagara.cache")
    for _ in range(3):
        assert api.get("/api/customers").status_code == 200
    made = post_json(
        api,
        "/api/customers",
        {"label": "Still on", "allowed_statuses": [{"status": "Pending", "category": "PENDING"}]},
    )
    assert made.status_code == 200, made.content  # the docs' answer to a create
    warnings = [r for r in caplog.records if r.name == "niagara.cache"]
    assert len(warnings) == 1 and "cache (redis) unreachable" in warnings[0].getMessage()

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache:responseTime"][0]["status"] == "fail"


def test_the_cache_comes_back_by_itself(monkeypatch):
    if not redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = forgiving.ForgivingRedisCache(UP["LOCATION"], {})
    now = [1000.0]
    monkeypatch.setattr(forgiving.time, "monotonic", lambda: now[0])
    with mock.patch.object(RedisCache, "get", side_effect=RedisConnectionError("gone")):
        assert cache.get("niagara-test", "miss") == "miss"
    cache.set("niagara-test", "1", 5)  # within the quiet time: not even tried
    assert cache.get("niagara-test") is None

    now[0] += forgiving.QUIET_SECONDS + 1
    cache.set("niagara-test", "1", 5)
    assert cache.get("niagara-test") == "1", "back without a restart"
    cache.delete("niagara-test")
