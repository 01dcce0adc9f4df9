"""``/api/me/tokens``: an integrator issues, lists and revokes their own personal tokens over
the API; the secret is answered once and never stored; nobody sees another person's tokens;
an OAuth2 client cannot mint itself a person's token."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.helpers import assert_problem, assert_status, client_for, post_json
from tests.users.test_api_clients import bearer, integration, token_for  # noqa: F401
from users.models import PersonalToken
from users.tokens import MAX_LIVE_TOKENS, token_digest

pytestmark = pytest.mark.django_db


def _me(secret: str) -> int:
    return APIClient().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


@pytest.fixture
def tess():
    user = UserFactory(username="tess")
    return user, client_for(user)


def test_a_new_token_is_answered_once_and_works_beside_the_first(tess, settings):
    settings.NIAGARA_TOKEN_DAYS = 30
    user, api = tess

    response = post_json(api, "/api/me/tokens", {"label": "nightly ERP sync"})

    assert_status(response, 201)
    issued = response.json()
    secret = issued["token"]
    stored = PersonalToken.objects.get(public_id=issued["token_id"])
    assert stored.user == user and stored.label == "nightly ERP sync"
    assert stored.digest == token_digest(secret) and stored.prefix == issued["prefix"]
    assert timedelta(days=29) < stored.expires - timezone.now() <= timedelta(days=30)
    assert _me(secret) == 200
    assert api.get("/api/me").status_code == 200, "the token that asked keeps working"
    fetched = api.get(f"/api/me/tokens/{issued['token_id']}").json()
    assert "token" not in fetched and secret not in str(fetched)
    assert fetched["_links"]["self"]["href"].endswith(f"/api/me/tokens/{issued['token_id']}")


def test_a_person_lists_and_revokes_only_their_own(tess):
    _, api = tess
    other = UserFactory()
    others_api = client_for(other)
    mine = post_json(api, "/api/me/tokens", {"label": "laptop"}).json()
    theirs = post_json(others_api, "/api/me/tokens", {"label": "theirs"}).json()

    listed = api.get("/api/me/tokens").json()["_embedded"]["nter:tokens"]

    assert {t["label"] for t in listed} == {"create_token", "laptop"}
    assert all("token" not in t for t in listed)
    assert_problem(api.get(f"/api/me/tokens/{theirs['token_id']}"), 404, "Not Found")
    assert_problem(api.delete(f"/api/me/tokens/{theirs['token_id']}"), 404, "Not Found")
    assert _me(theirs["token"]) == 200

    assert_status(api.delete(f"/api/me/tokens/{mine['token_id']}"), 205)
    assert _me(mine["token"]) == 401
    assert PersonalToken.objects.filter(user=other).count() == 2


def test_a_token_may_revoke_itself(tess):
    user, api = tess
    own = PersonalToken.objects.get(user=user)

    assert_status(api.delete(f"/api/me/tokens/{own.public_id}"), 205)

    assert api.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    ("body", "path", "keyword"),
    [
        ({}, ".label", "required"),
        ({"label": " "}, ".label", "minLength"),
        ({"label": "x\x1b"}, ".label", "pattern"),
        ({"label": "x", "expires": "2020-01-01T00:00:00Z"}, ".expires", "formatExclusiveMinimum"),
        ({"label": "x", "expires": "2999-01-01T00:00:00Z"}, ".expires", "formatMaximum"),
        ({"label": "x", "expires": "2030-01-01"}, ".expires", "offset"),
        ({"label": "x", "token": "mine"}, ".token", "additionalProperties"),  # no chosen secret
    ],
)
def test_bad_bodies_are_400s_and_issue_nothing(tess, body, path, keyword):
    user, api = tess

    response = post_json(api, "/api/me/tokens", body)

    problem = assert_problem(response, 400, "Bad Request")
    assert (path, keyword) in {
        (m["dataPath"], m["keyword"]) for m in problem["validation_messages"]
    }
    assert PersonalToken.objects.filter(user=user).count() == 1


def test_a_chosen_expiry_within_the_bound_is_kept(tess):
    _, api = tess
    when = (timezone.now() + timedelta(days=7)).replace(microsecond=0)

    issued = post_json(api, "/api/me/tokens", {"label": "week", "expires": when.isoformat()})

    assert_status(issued, 201)
    assert PersonalToken.objects.get(public_id=issued.json()["token_id"]).expires == when


def test_live_tokens_are_bounded_per_person(tess):
    user, api = tess
    for number in range(MAX_LIVE_TOKENS - 1):
        assert_status(post_json(api, "/api/me/tokens", {"label": f"t{number}"}), 201)

    refused = post_json(api, "/api/me/tokens", {"label": "one too many"})

    assert_problem(refused, 409, "Conflict")
    assert PersonalToken.objects.filter(user=user).count() == MAX_LIVE_TOKENS
    PersonalToken.objects.filter(label="t0").update(expires=timezone.now())
    assert_status(post_json(api, "/api/me/tokens", {"label": "after one expired"}), 201)


def test_an_oauth_client_cannot_mint_its_user_a_personal_token(integration):  # noqa: F811
    client = bearer(token_for(integration)["access_token"])

    refused = post_json(client, "/api/me/tokens", {"label": "escalate"})

    assert_problem(refused, 403, "Forbidden")
    assert not PersonalToken.objects.filter(user=integration["user"]).exists()
    assert_status(client.get("/api/me/tokens"), 200)


def test_strangers_get_401():
    assert_problem(APIClient().get("/api/me/tokens"), 401, "Unauthorized")
    assert_problem(post_json(APIClient(), "/api/me/tokens", {"label": "x"}), 401, "Unauthorized")


def test_the_list_costs_the_same_for_2_and_12_tokens(tess):
    _, api = tess
    post_json(api, "/api/me/tokens", {"label": "one"})
    with CaptureQueriesContext(connection) as few:
        assert_status(api.get("/api/me/tokens"), 200)
    for number in range(10):
        post_json(api, "/api/me/tokens", {"label": f"more {number}"})
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/me/tokens").json()["_embedded"]["nter:tokens"]) == 12
    assert len(many) == len(few)
