"""Personal API tokens: issued once (the caller sees the secret, the database a digest),
expiring after ``NIAGARA_TOKEN_DAYS``, revocable, their last use recorded (at most once per
``LAST_USED_EVERY``: a write on every request would cost every request a query)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import PersonalToken, User

LAST_USED_EVERY = timedelta(minutes=15)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, days: int | None = None) -> str:
    """Replace the user's personal tokens with a new one and return its secret (the only time
    it is seen). ``days``: its lifetime (default ``NIAGARA_TOKEN_DAYS``; 0 for none)."""
    PersonalToken.objects.filter(user=user).delete()
    secret = secrets.token_hex(20)
    days = settings.NIAGARA_TOKEN_DAYS if days is None else days
    PersonalToken.objects.create(
        user=user,
        digest=token_digest(secret),
        prefix=secret[:8],
        expires=timezone.now() + timedelta(days=days) if days else None,
    )
    return secret


def token_user(secret: str) -> tuple[User, PersonalToken] | None:
    """The active user a token belongs to, if it is known and not expired."""
    token = PersonalToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires and token.expires <= now):
        return None
    if token.last_used is None or token.last_used < now - LAST_USED_EVERY:
        PersonalToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token.user, token


def tokens_of_revoke(user: User) -> int:
    return PersonalToken.objects.filter(user=user).delete()[0]
