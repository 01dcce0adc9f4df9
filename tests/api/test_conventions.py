"""The conventions every resource shares: auth, media types, problems, status codes."""

from unittest import mock

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from customers.api.views import CustomerViewSet
from customers.models import Customer
from tests.factories import CustomerFactory, UserFactory
from tests.helpers import assert_problem, assert_status, client_for, post_json

pytestmark = pytest.mark.django_db

VALID_CUSTOMER = {"label": "Acme", "allowed_statuses": [{"status": "Open", "category": "PENDING"}]}


def test_index_links_every_collection(api):
    response = api.get("/api/")

    assert_status(response, 200)
    assert response["Content-Type"] == "application/hal+json"
    links = response.json()["_links"]
    assert links["self"]["href"] == "http://testserver/api/"
    assert links["nter:customers"]["href"] == "http://testserver/api/customers"
    assert links["nter:me"]["href"] == "http://testserver/api/me"
    assert links.pop("curies") == [
        {"name": "nter", "href": "http://testserver/api/rels/{rel}", "templated": True}
    ]
    for rel, link in links.items():
        assert_status(api.get(link["href"]), 200), rel


def test_me_returns_the_caller(db):
    user = UserFactory(first_name="Samantha", last_name="Carter", email="s.carter@sg1.com")
    client = client_for(user)

    response = client.get("/api/me")

    assert_status(response, 200)
    data = response.json()
    assert data["user_id"] == user.public_id
    assert data["name"] == "Samantha Carter"
    assert data["email"] == "s.carter@sg1.com"
    assert {"created", "updated"} <= set(data)
    assert data["_links"]["self"]["href"] == f"http://testserver/api/users/{user.public_id}"
    # What is theirs is linked from here; the user resource itself has no such links.
    mine = ("customers", "locations", "manufacturers", "vendors", "tokens")
    for rel in (f"nter:me-{name}" for name in mine):
        assert_status(client.get(data["_links"].pop(rel)["href"]), 200)
    assert client.get(data["_links"]["self"]["href"]).json() == data


def test_reading_another_user_needs_tenant_read(db, client_with_perms):
    other = UserFactory()

    assert_problem(client_with_perms().get(f"/api/users/{other.public_id}"), 403, "Forbidden")
    allowed = client_with_perms("tenant:read")
    assert_status(allowed.get(f"/api/users/{other.public_id}"), 200)


@pytest.mark.parametrize(
    "url", ["/api/", "/api/me", "/api/customers", "/api/customers/x", "/api/users/x"]
)
def test_missing_token_is_a_401_problem(db, url):
    response = APIClient().get(url)

    problem = assert_problem(response, 401, "Unauthorized")
    assert problem["detail"] == "Invalid authorization token"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Token abc", "Bearer", "Bearer a b"])
def test_invalid_token_is_a_401_problem(db, header):
    response = APIClient().get("/api/customers", HTTP_AUTHORIZATION=header)

    assert_problem(response, 401, "Unauthorized")


def test_a_rejected_write_without_token_stores_nothing(db):
    response = post_json(APIClient(), "/api/customers", VALID_CUSTOMER)

    assert_problem(response, 401, "Unauthorized")
    assert not Customer.objects.exists()


def test_admin_session_may_use_the_browsable_api_with_csrf(client, superuser):
    client.force_login(superuser)

    page = client.get("/api/customers", HTTP_ACCEPT="text/html")
    assert_status(page, 200)
    assert page["Content-Type"].startswith("text/html")

    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(superuser)
    response = csrf_client.post("/api/customers", VALID_CUSTOMER, format="json")
    assert_problem(response, 403, "Forbidden")
    assert not Customer.objects.exists()


def test_json_clients_get_hal(api):
    CustomerFactory()

    response = api.get("/api/customers", HTTP_ACCEPT="application/json")

    assert_status(response, 200)
    assert response["Content-Type"] == "application/hal+json"


def test_unknown_api_path_is_a_404_problem(api):
    assert_problem(api.get("/api/no-such-thing"), 404, "Not Found")


def test_unsupported_method_is_a_405_problem(api):
    assert_problem(api.delete("/api/customers"), 405, "Method Not Allowed")


def test_non_json_body_is_a_415_problem(api):
    response = api.post(
        "/api/customers", "label=Acme", content_type="application/x-www-form-urlencoded"
    )

    assert_problem(response, 415, "Unsupported Media Type")
    assert not Customer.objects.exists()


def test_malformed_json_is_a_400_problem(api):
    response = api.post("/api/customers", '{"label": ', content_type="application/json")

    problem = assert_problem(response, 400, "Bad Request")
    assert problem["validation_messages"][0]["keyword"] == "parse"


def test_throttled_requests_get_a_429_problem(db):
    client = client_for(UserFactory())
    rates = {"anon": "2/minute", "user": "2/minute"}
    with mock.patch("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", rates):
        client.get("/api/me")
        client.get("/api/me")
        response = client.get("/api/me")

    assert_problem(response, 429, "Too Many Requests")
    assert int(response["Retry-After"]) > 0


def test_unexpected_errors_are_a_500_problem_without_internals(api):
    with mock.patch.object(
        CustomerViewSet, "create_service", side_effect=RuntimeError("secret table xyz")
    ):
        response = post_json(api, "/api/customers", VALID_CUSTOMER)

    problem = assert_problem(response, 500, "Internal Server Error")
    assert "secret" not in response.content.decode()
    assert "Traceback" not in problem["detail"]
    assert not Customer.objects.exists()


def test_a_failure_after_a_write_rolls_the_write_back(api):
    with mock.patch(
        "niagara.api.viewsets.ResourceViewSet.reread", side_effect=RuntimeError("late failure")
    ):
        response = post_json(api, "/api/customers", VALID_CUSTOMER)

    assert_status(response, 500)
    assert not Customer.objects.exists()


@override_settings(DEBUG=False)
def test_500_outside_drf_is_a_problem_for_api_paths(client):
    from niagara.api.views import problem_500_view

    request = client.get("/api/").wsgi_request
    response = problem_500_view(request)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
