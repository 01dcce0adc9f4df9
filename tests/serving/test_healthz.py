"""Readiness: /healthz says whether this app server's database and cache answer."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "BACKEND": "niagara.cache.ForgivingRedisCache",
    # Nothing listens on port 9 (discard) here: every connection is refused.
    "LOCATION": "redis://127.0.0.1:9/0",
    "OPTIONS": {"socket_connect_timeout": 0.5},
}


def checks_of(response) -> dict:
    body = response.json()
    return {name.split(":")[0]: result[0]["status"] for name, result in body["checks"].items()}


def test_ready_when_the_database_and_the_cache_answer(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/health+json"
    assert "no-store" in response["Cache-Control"]
    assert response.json()["status"] == "pass"
    assert checks_of(response) == {"database": "pass", "cache": "pass"}


def test_not_ready_when_the_cache_is_down(client):
    with override_settings(CACHES={"default": UNREACHABLE_REDIS}):
        caches.close_all()
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert checks_of(response) == {"database": "pass", "cache": "fail"}
    assert "127.0.0.1:9" not in response.content.decode(), "no address leaks to a prober"


def test_not_ready_when_the_database_is_down(client):
    def refuse():
        raise OperationalError("connection refused")

    with mock.patch.dict("niagara.health.CHECKS", {"database": refuse}):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert checks_of(response) == {"database": "fail", "cache": "pass"}


def test_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
