"""Integrators are machines: OAuth2 client-credentials tokens, scoped by the permission graph,
expiring and revocable; personal tokens keep working."""

import base64
import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from tests.factories import CustomerFactory, UserFactory
from tests.helpers import assert_problem, assert_status, client_for, holder_of, post_json

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def integration():
    """An ERP sync acting as a user who manages one customer."""
    customer = CustomerFactory()
    user = holder_of("customer:read", "customer:update", "program:create", on=customer)
    output = run("create_api_client", "ERP sync", "--user", user.username)
    client_id = re.search(r"client_id:\s+(\S+)", output).group(1)
    secret = re.search(r"client_secret:\s+(\S+)", output).group(1)
    return {"customer": customer, "user": user, "client_id": client_id, "secret": secret}


def token_for(integration, **form) -> dict:
    basic = base64.b64encode(f"{integration['client_id']}:{integration['secret']}".encode())
    client = APIClient()
    response = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", **form},
        HTTP_AUTHORIZATION=f"Basic {basic.decode()}",
    )
    assert_status(response, 200)
    return response.json()


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_the_client_secret_is_shown_once_and_stored_hashed(integration):
    stored = Application.objects.get(client_id=integration["client_id"])

    assert stored.client_secret != integration["secret"]
    assert stored.authorization_grant_type == "client-credentials"
    with pytest.raises(CommandError, match="already exists"):
        run("create_api_client", "erp SYNC", "--user", integration["user"].username)


def test_a_client_credentials_token_does_what_its_user_may(integration):
    issued = token_for(integration)
    client = bearer(issued["access_token"])
    customer = integration["customer"]

    assert issued["token_type"] == "Bearer" and issued["expires_in"] > 0
    listed = client.get("/api/customers").json()
    assert [c["customer_id"] for c in listed["_embedded"]["nter:customers"]] == [customer.public_id]
    assert_status(client.get(f"/api/customers/{CustomerFactory().public_id}"), 404)
    body = {"label": "Kiosks", "customer": {"customer_id": customer.public_id}}
    assert_status(post_json(client, "/api/programs", body), 200)


def test_a_token_does_no_more_than_its_scopes(integration):
    issued = token_for(integration, scope="customer:read")
    client = bearer(issued["access_token"])
    customer = integration["customer"]

    assert issued["scope"] == "customer:read"
    assert_status(client.get(f"/api/customers/{customer.public_id}"), 200)
    body = {"label": "Kiosks", "customer": {"customer_id": customer.public_id}}
    assert_problem(post_json(client, "/api/programs", body), 403, "Forbidden")


def test_unknown_expired_and_revoked_tokens_are_401_problems(integration):
    expired = token_for(integration)["access_token"]
    AccessToken.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    revoked = token_for(integration)["access_token"]
    basic = base64.b64encode(f"{integration['client_id']}:{integration['secret']}".encode())
    response = APIClient().post(
        "/oauth/revoke_token/", {"token": revoked}, HTTP_AUTHORIZATION=f"Basic {basic.decode()}"
    )
    assert_status(response, 200)

    for token in ("no-such-token", expired, revoked):
        for url in ("/api/customers", "/api/me", "/api/roles", "/api/batches"):
            assert_problem(bearer(token).get(url), 401, "Unauthorized")


def test_staff_list_and_revoke_tokens_with_a_command(integration):
    personal = client_for(integration["user"])
    oauth = bearer(token_for(integration)["access_token"])

    listing = run("tokens", "list", "--user", integration["user"].username)
    assert "personal" in listing and "oauth2" in listing and "ERP sync" in listing
    assert "Revoked 1 token(s)." in run("tokens", "revoke", "--client", integration["client_id"])
    assert_status(oauth.get("/api/me"), 401)
    assert_status(personal.get("/api/me"), 200)
    run("tokens", "revoke", "--user", integration["user"].username)
    assert_status(personal.get("/api/me"), 401)


def test_personal_tokens_keep_working():
    user = UserFactory()

    assert_status(client_for(user).get("/api/me"), 200)
