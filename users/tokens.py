"""Personal API tokens: issued once (the caller sees the secret, the database a digest),
expiring after ``NIAGARA_TOKEN_DAYS``, revocable, their last use recorded (at most once per
``LAST_USED_EVERY``: a write on every request would cost every request a query)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from niagara.errors import Conflict

from .models import PersonalToken, User

LAST_USED_EVERY = timedelta(minutes=15)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Live tokens one person may hold at once (scripts, integrations): enough for real use, and a
# bound on what a leaked session could mint.
MAX_LIVE_TOKENS = 20


def _token_create(*, user: User, label: str, expires) -> tuple[PersonalToken, str]:
    secret = secrets.token_hex(20)
    token = PersonalToken.objects.create(
        user=user, label=label, digest=token_digest(secret), prefix=secret[:8], expires=expires
    )
    return token, secret


def default_expiry(days: int | None = None):
    """When a token issued now expires: after ``days`` (default ``NIAGARA_TOKEN_DAYS``; 0 for
    never)."""
    days = settings.NIAGARA_TOKEN_DAYS if days is None else days
    return timezone.now() + timedelta(days=days) if days else None


@transaction.atomic
def token_issue(*, user: User, days: int | None = None) -> str:
    """Replace the user's personal tokens with a new one and return its secret (the only time
    it is seen): staff's reset (``create_token``). ``days``: its lifetime (default
    ``NIAGARA_TOKEN_DAYS``; 0 for none)."""
    PersonalToken.objects.filter(user=user).delete()
    return _token_create(user=user, label="create_token", expires=default_expiry(days))[1]


@transaction.atomic
def token_add(*, user: User, label: str, expires=None) -> tuple[PersonalToken, str]:
    """Give ``user`` one more token (their others keep working) and return it with its secret
    (the only time it is seen). ``expires``: when it stops working (default: after
    ``NIAGARA_TOKEN_DAYS``; the API bounds it). At most ``MAX_LIVE_TOKENS`` live at once."""
    User.objects.select_for_update().filter(pk=user.pk).exists()  # one issue at a time per person
    now = timezone.now()
    live = PersonalToken.objects.filter(user=user).exclude(expires__lte=now).count()
    if live >= MAX_LIVE_TOKENS:
        raise Conflict(
            f"You hold {live} live tokens, the most one person may: revoke one you no longer "
            "use first."
        )
    return _token_create(user=user, label=label, expires=expires or default_expiry())


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


def token_revoke(token: PersonalToken) -> None:
    """Revoke one token: it stops working now."""
    token.delete()
