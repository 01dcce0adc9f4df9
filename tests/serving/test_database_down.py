"""The database unreachable: every API request answers 503 ``application/problem+json`` with
``Retry-After``, admin pages a plain 503 page — a client can tell "try again" from "broken" —
and service resumes by itself when the database is back."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from rest_framework.test import APIClient

from niagara.errors import RETRY_AFTER_SECONDS
from users.services import token_issue

pytestmark = pytest.mark.django_db

REFUSED = OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def _refusing():
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=REFUSED
    )


def test_the_api_answers_503_problems_while_the_database_is_unreachable(superuser):
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=superuser)}")

    with _refusing():
        listed = api.get("/api/customers")
        created = api.post("/api/customers", {"label": "X"}, format="json")

    for response in (listed, created):
        assert response.status_code == 503
        assert response["Content-Type"] == "application/problem+json"
        assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
        body = response.json()
        assert body["status"] == 503 and "try again" in body["detail"]
        assert "5432" not in response.content.decode(), "no address leaks"
    assert api.get("/api/customers").status_code == 200, "back by itself"


def test_admin_pages_answer_a_plain_503_page(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)

    with _refusing():
        for path in ("/admin/", "/admin/login/", "/admin/batches/batch/"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert "text/html" in response["Content-Type"]
            assert "briefly unavailable" in response.content.decode()
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_terminated_connection_is_a_503_then_service_resumes(superuser):
    """On PostgreSQL, for real: the server ends the app's connection (a restart, a failover)."""
    if connection.vendor != "postgresql":
        pytest.skip("terminating a server connection is PostgreSQL's")
    import psycopg

    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=superuser)}")
    assert api.get("/api/customers").status_code == 200
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    dropped = api.get("/api/customers")
    assert dropped.status_code == 503 and dropped["Retry-After"]
    assert api.get("/api/customers").status_code == 200, "reconnected by itself"
