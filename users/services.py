"""Accounts and API tokens."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


@transaction.atomic
def user_ensure(*, username: str, superuser: bool = False) -> tuple[User, bool]:
    """Return the user called ``username``, creating it (without a password) if needed."""
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
    if superuser and not user.is_superuser:
        user.is_superuser = user.is_staff = True
    user.save()
    return user, created


@transaction.atomic
def token_issue(*, user: User) -> str:
    """Replace the user's API token with a new one and return it."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


SYSTEM_USERNAME = "niagara"


def system_user() -> User:
    """Return the account that commands act as when no user is named (it cannot sign in)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "Niagara", "last_name": "System"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
