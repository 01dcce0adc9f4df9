"""Guessing is stopped: at most ``AXES_FAILURE_LIMIT`` (12) failures for one username or from
one address before the admin's sign-in refuses even the right password for the cool-off; the
same for an OAuth client's secret at ``POST /oauth/token/``."""

import base64
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from tests.factories import UserFactory
from tests.helpers import holder_of

pytestmark = pytest.mark.django_db
LIMIT = 12
GOOD = "Right-Pass-2026!"


@pytest.fixture(autouse=True)
def axes_on():
    with override_settings(AXES_ENABLED=True):
        cache.clear()
        yield
        cache.clear()


def _sign_in(username: str, password: str, address: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    return client, client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )


def test_a_username_is_paused_after_twelve_wrong_passwords_even_for_the_right_one():
    maria = UserFactory(username="maria", is_staff=True)
    maria.set_password(GOOD)
    maria.save()
    for attempt in range(LIMIT):
        # From changing addresses: the username alone is what is counted here.
        _client, response = _sign_in("maria", "wrong", address=f"10.0.1.{attempt}")
        # The form again with its error; the twelfth failure pauses the name.
        assert response.status_code == (429 if attempt == LIMIT - 1 else 200), attempt

    _client, refused = _sign_in("maria", GOOD, address="10.0.2.1")
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.content.decode()
    _client, other = _sign_in("someone", "wrong", address="10.0.2.2")
    assert other.status_code == 200, "another name from another address is not paused"


def test_an_address_is_paused_after_twelve_failures_over_any_names():
    tess = UserFactory(username="tess", is_staff=True)
    tess.set_password(GOOD)
    tess.save()
    for attempt in range(LIMIT):
        _sign_in(f"guess{attempt}", "wrong", address="10.9.9.9")

    _client, refused = _sign_in("tess", GOOD, address="10.9.9.9")
    assert refused.status_code == 429
    _client, allowed = _sign_in("tess", GOOD, address="10.9.9.10")
    assert allowed.status_code == 302, "tess from her own address signs in"


def test_a_right_password_before_the_limit_resets_the_count():
    maria = UserFactory(username="maria", is_staff=True)
    maria.set_password(GOOD)
    maria.save()
    for _ in range(LIMIT - 1):
        _sign_in("maria", "wrong")
    assert _sign_in("maria", GOOD)[1].status_code == 302
    for _ in range(LIMIT - 1):
        _sign_in("maria", "wrong")
    assert _sign_in("maria", GOOD)[1].status_code == 302


def test_guessing_an_oauth_client_secret_is_stopped():
    user = holder_of("customer:read")
    out = io.StringIO()
    call_command("create_api_client", "ERP", "--user", user.username, stdout=out)
    client_id = re.search(r"client_id:\s+(\S+)", out.getvalue()).group(1)
    secret = re.search(r"client_secret:\s+(\S+)", out.getvalue()).group(1)

    def token(with_secret: str, address: str = "10.1.1.1"):
        basic = base64.b64encode(f"{client_id}:{with_secret}".encode()).decode()
        return Client(REMOTE_ADDR=address).post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )

    for attempt in range(LIMIT):
        assert token("wrong", address=f"10.1.2.{attempt}").status_code == 401

    refused = token(secret, address="10.1.3.1")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["error"] == "too_many_requests"
