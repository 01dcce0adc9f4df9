"""Helpers for tests that go through the public HTTP surface."""

import json

from rest_framework.test import APIClient

from users.services import token_issue


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")
    return client


def assert_status(response, expected: int):
    """Assert the status code, showing the body when it is wrong."""
    body = response.content.decode()[:2000]
    assert response.status_code == expected, f"{response.status_code} != {expected}: {body}"


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def put_json(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def formset_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    """Return the management-form fields an admin inline formset expects in a POST."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
