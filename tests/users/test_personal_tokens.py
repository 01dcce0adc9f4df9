"""Personal API tokens: the secret shown once and stored as a digest, expiring, their last use
recorded, revocable from the admin and the command line; tokens issued before keep working."""

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory
from users.models import PersonalToken
from users.tokens import LAST_USED_EVERY, token_digest, token_issue

pytestmark = pytest.mark.django_db
hashing = importlib.import_module("users.migrations.0009_personal_tokens")


def _me(secret: str) -> int:
    return APIClient().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def test_a_token_is_kept_as_a_digest_and_expires(settings):
    settings.NIAGARA_TOKEN_DAYS = 30
    user = UserFactory()
    secret = token_issue(user=user)

    stored = PersonalToken.objects.get(user=user)
    assert stored.digest == token_digest(secret) and secret not in stored.digest
    assert timedelta(days=29) < stored.expires - timezone.now() <= timedelta(days=30)
    assert _me(secret) == 200

    PersonalToken.objects.filter(pk=stored.pk).update(expires=timezone.now())
    assert _me(secret) == 401


def test_the_last_use_is_recorded_once_per_interval():
    user = UserFactory()
    secret = token_issue(user=user)
    assert PersonalToken.objects.get(user=user).last_used is None

    assert _me(secret) == 200
    first = PersonalToken.objects.get(user=user).last_used
    assert first is not None
    assert _me(secret) == 200
    assert PersonalToken.objects.get(user=user).last_used == first, "not a write per request"

    PersonalToken.objects.filter(user=user).update(last_used=first - LAST_USED_EVERY * 2)
    assert _me(secret) == 200
    assert PersonalToken.objects.get(user=user).last_used > first - LAST_USED_EVERY


def test_revoking_in_the_admin_stops_the_token_now(admin_client):
    user = UserFactory()
    secret = token_issue(user=user)
    token = PersonalToken.objects.get(user=user)
    page = admin_client.get("/admin/users/personaltoken/").content.decode()
    assert token.prefix in page and secret not in page

    admin_client.post(
        "/admin/users/personaltoken/",
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )

    assert not PersonalToken.objects.exists()
    assert _me(secret) == 401


def test_the_command_lists_expiry_dates_and_revokes():
    user = UserFactory(username="tess")
    secret = token_issue(user=user, days=10)
    out = io.StringIO()
    call_command("tokens", "list", "--user", "tess", stdout=out)
    expires = PersonalToken.objects.get(user=user).expires
    assert f"{expires:%Y-%m-%d}" in out.getvalue() and secret not in out.getvalue()

    call_command("tokens", "revoke", "--user", "tess", stdout=io.StringIO())
    assert _me(secret) == 401


def test_a_token_without_expiry_on_request():
    user = UserFactory()
    out = io.StringIO()
    call_command("create_token", user.username, "--days", "0", stdout=out)
    assert PersonalToken.objects.get(user=user).expires is None
    assert "with no expiry" in out.getvalue()


def test_tokens_issued_before_keep_working_and_lose_their_plaintext():
    user = UserFactory()
    old = Token.objects.create(user=user)

    hashing.hash_the_plaintext_tokens(django_apps, None)

    assert not Token.objects.exists()
    assert _me(old.key) == 200
