"""Users over the API, in the docs' shape: administrators manage them; e-mail is required and
unique."""

import pytest
from django.contrib.auth import authenticate

from tests.factories import UserFactory
from tests.helpers import (
    assert_problem,
    assert_status,
    client_for,
    client_with,
    post_json,
    put_json,
)
from users.models import User

pytestmark = pytest.mark.django_db

ANN = {
    "email": "ann@example.com",
    "name": "Ann Lee",
    "picture": None,
    "profile": "https://example.com/ann",
    "user_attributes": [{"key": "badge", "value": "42"}],
}


@pytest.fixture
def admin():
    return client_with("tenant:settings", "tenant:read")


def test_an_administrator_creates_replaces_and_deletes_a_user(admin):
    created = post_json(admin, "/api/users", ANN)

    assert_status(created, 200)
    user = created.json()
    assert {k: user[k] for k in ANN} == ANN
    url = f"/api/users/{user['user_id']}"
    replaced = put_json(admin, url, {**user, "name": "Ann Lee-Park"})
    assert_status(replaced, 200)
    assert replaced.json()["name"] == "Ann Lee-Park"
    assert_status(admin.delete(url), 205)
    assert_status(admin.get(url), 404)


@pytest.mark.parametrize(
    ("changes", "data_path"),
    [
        ({"email": None}, ".email"),
        ({"email": "not-an-address"}, ".email"),
        ({"profile": "not a url"}, ".profile"),
        ({"user_attributes": [{"key": "k"}]}, ".user_attributes[0].value"),
        (
            {"user_attributes": [{"key": str(n), "value": "v"} for n in range(16)]},
            ".user_attributes",
        ),
    ],
)
def test_bad_users_are_problems_that_change_nothing(admin, changes, data_path):
    before = User.objects.count()

    problem = assert_problem(post_json(admin, "/api/users", {**ANN, **changes}), 400, "Bad Request")

    assert data_path in {m["dataPath"] for m in problem["validation_messages"]}
    assert User.objects.count() == before


def test_an_email_on_file_is_a_conflict(admin):
    assert_status(post_json(admin, "/api/users", ANN), 200)

    taken = post_json(admin, "/api/users", {**ANN, "email": "ANN@example.com"})

    assert_problem(taken, 409, "Conflict")


def test_users_read_themselves_and_only_administrators_change_users():
    me = UserFactory()
    client = client_for(me)

    assert_status(client.get(f"/api/users/{me.public_id}"), 200)
    assert_problem(client.get("/api/users"), 403, "Forbidden")
    assert_problem(post_json(client, "/api/users", ANN), 403, "Forbidden")
    assert_problem(
        client_with("tenant:read").delete(f"/api/users/{me.public_id}"), 403, "Forbidden"
    )
    assert User.objects.filter(pk=me.pk).exists()


@pytest.mark.parametrize("url", ["http://0", "https://intranet/people/ann", "http://[::1]:8080/a"])
def test_any_http_url_the_schema_allows_is_a_picture_or_profile(admin, url):
    # The schema publishes one pattern for these links; the server enforces that, no more.
    created = post_json(admin, "/api/users", {**ANN, "picture": url, "profile": url})

    assert_status(created, 200)
    assert (created.json()["picture"], User.objects.get(email=ANN["email"]).profile) == (url, url)


@pytest.mark.parametrize(("field", "limit"), [("email", 150), ("name", 150)])
def test_an_email_or_name_longer_than_its_column_is_a_400_at_the_field(admin, field, limit):
    too_long = {"email": "a" * 140 + "@example.com", "name": "N" * (limit + 1)}[field]

    response = post_json(admin, "/api/users", {**ANN, field: too_long})

    problem = assert_problem(response, 400, "Bad Request")
    assert [m["dataPath"] for m in problem["validation_messages"]] == [f".{field}"]
    assert problem["validation_messages"][0]["keyword"] == "maxLength"
    assert not User.objects.filter(email=ANN["email"]).exists()


def test_any_valid_email_address_is_a_sign_in_name(admin):
    email = "o'brien&co#1@example.com"

    created = post_json(admin, "/api/users", {**ANN, "email": email})

    assert_status(created, 200)
    user = User.objects.get(email=email)
    user.set_password("s3cret-pass")
    user.save()
    assert authenticate(username=email, password="s3cret-pass") == user
