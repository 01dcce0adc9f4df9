"""Accounts and API tokens."""

from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from niagara.errors import Conflict, InvalidData, Locked
from niagara.models import replace_fields
from relations.services import delete_entity, save_entity

from .models import Role, RoleHolding, User
from .roles import GROUP_NAMES, SHIPPED_PERMISSIONS, FloorRole
from .tokens import token_issue as token_issue  # re-exported: ``services.token_issue``
from .tokens import tokens_of_revoke


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
def user_create(
    *, username: str, role: FloorRole, password: str | None = None, email: str = ""
) -> User:
    """Create a user of the floor in one step: staff (the admin is where the floor runs), in
    the role's group. Without a password the user cannot sign in until one is set."""
    user = User(username=username.strip(), email=email, is_staff=True)
    user.full_clean(exclude=["password"])
    if password:
        # The same rules as the admin's forms (AUTH_PASSWORD_VALIDATORS): "12345678" is refused.
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user_set_role(user, role=role)
    return user


def user_set_role(user: User, *, role: FloorRole) -> None:
    """Give ``user`` the floor role ``role`` everywhere (and its group), instead of the other."""
    groups = Group.objects.filter(name__in=GROUP_NAMES.values())
    user.groups.remove(*groups.exclude(name=GROUP_NAMES[role]))
    user.groups.add(groups.get(name=GROUP_NAMES[role]))
    RoleHolding.objects.filter(
        user=user, entity_type=None, role__label__in=GROUP_NAMES.values()
    ).exclude(role__label=GROUP_NAMES[role]).delete()
    RoleHolding.objects.get_or_create(user=user, role=floor_role(role), entity_type=None)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def floor_role(role: FloorRole) -> Role:
    """Return the Niagara role shipped for ``role`` (made again if it was deleted)."""
    found = Role.objects.filter(label__iexact=GROUP_NAMES[role]).first()
    if found is None:
        found = Role.objects.create(
            label=GROUP_NAMES[role],
            description=f"The {GROUP_NAMES[role].lower()} of the floor (shipped with Niagara).",
            grants=[
                {"permission": name, "label": name, "match_location": False}
                for name in SHIPPED_PERMISSIONS[role]
            ],
        )
    return found


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


@dataclass
class RoleFields:
    label: str
    grants: list[dict]
    description: str | None = None


def _role_save(role: Role, *, actor) -> Role:
    role.label = role.label.strip()
    role.description = role.description or ""
    same_label = Role.objects.filter(label__iexact=role.label).exclude(pk=role.pk)
    if same_label.exists():
        raise Conflict(f'A role labelled "{role.label}" already exists')
    role.full_clean()
    return save_entity(role, actor=actor)


@transaction.atomic
def role_create(*, actor, fields: RoleFields) -> Role:
    """Create a role; a label already taken (whatever its case) is a ``Conflict``."""
    return _role_save(replace_fields(Role(), fields), actor=actor)


@transaction.atomic
def role_update(role: Role, /, *, actor, fields: RoleFields) -> Role:
    """Replace a role's label, description and grants; its holders keep it."""
    return _role_save(replace_fields(role, fields), actor=actor)


@transaction.atomic
def role_delete(role: Role, /, *, actor) -> None:
    """Delete a role nobody holds; while someone does, it is ``Locked``."""
    holders = role.holdings.count()
    if holders:
        raise Locked(f"The role is held {holders} time(s); take it from its holders first")
    delete_entity(role, actor=actor)


@transaction.atomic
def role_grant(role: Role, /, *, user: User, entity=None) -> RoleHolding:
    """Let ``user`` hold ``role`` everywhere, or on ``entity`` and what is below it; holding
    it there already is a ``Conflict``."""
    holding = RoleHolding(role=role, user=user, entity=entity)
    if RoleHolding.objects.filter(
        role=role,
        user=user,
        entity_type=holding.entity_type,
        entity_id=holding.entity_id,
    ).exists():
        raise Conflict("The user already holds this role there")
    holding.save()
    if not user.is_staff:
        # Holders work in the admin too (what they see there is what the role allows).
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return holding


@transaction.atomic
def role_revoke(role: Role, /, *, user: User, entity=None) -> None:
    """Take ``role`` from ``user`` (everywhere, or on ``entity``)."""
    holding = RoleHolding(role=role, user=user, entity=entity)
    RoleHolding.objects.filter(
        role=role, user=user, entity_type=holding.entity_type, entity_id=holding.entity_id
    ).delete()


def user_allow_acting_for_others(user: User, *, allowed: bool = True) -> None:
    """Let ``user`` (an integration's) send ``Requestor-ID``, or stop it."""
    permission = Permission.objects.get(content_type__app_label="users", codename="act_for_others")
    if allowed:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)


@transaction.atomic
def api_client_create(*, name: str, user: User, on_behalf: bool = False) -> tuple[Application, str]:
    """Register an integration (an OAuth2 client-credentials client acting as ``user``) and
    return it with its secret: shown this once, stored hashed. ``on_behalf`` lets ``user``
    act on behalf of others (``Requestor-ID``)."""
    name = name.strip()
    if not name:
        raise InvalidData([], detail="The client needs a name")
    if Application.objects.filter(name__iexact=name).exists():
        raise Conflict(f'An API client named "{name}" already exists')
    secret = generate_client_secret()
    client = Application.objects.create(
        name=name,
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    if on_behalf:
        user_allow_acting_for_others(user)
    return client, secret


@transaction.atomic
def tokens_revoke(*, user: User | None = None, client_id: str | None = None) -> int:
    """Revoke every token of ``user`` (personal and OAuth2) or of one API client; return how
    many stopped working."""
    revoked = 0
    access_tokens = AccessToken.objects.all()
    if user is not None:
        revoked += tokens_of_revoke(user)
        access_tokens = access_tokens.filter(models.Q(user=user) | models.Q(application__user=user))
    if client_id is not None:
        access_tokens = access_tokens.filter(application__client_id=client_id)
    for token in access_tokens:
        token.revoke()
        revoked += 1
    return revoked


@dataclass
class UserFields:
    """What ``POST /users`` and ``PUT /users/{id}`` write (the docs' user body)."""

    email: str
    name: str = ""
    picture: str = ""
    profile: str = ""
    user_attributes: list = field(default_factory=list)


def _user_save(user: User, fields: UserFields, *, actor) -> User:
    email = fields.email.strip()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise Conflict(f'A user with the e-mail address "{email}" already exists')
    user.email = email
    user.first_name, user.last_name = fields.name.strip(), ""
    user.picture, user.profile = fields.picture, fields.profile
    user.user_attributes = fields.user_attributes
    if user._state.adding:
        # Signs in with their e-mail address (SSO or a password set in the admin).
        user.username = email
        if User.objects.filter(username__iexact=email).exists():
            raise Conflict(f'A user signing in as "{email}" already exists')
        user.set_unusable_password()
    # The sign-in name is the e-mail address as it is (validated as one): Django's rule for
    # typed usernames would refuse addresses such as "o'brien&co@example.com".
    user.full_clean(exclude=["password", "username"])
    return save_entity(user, actor=actor)


@transaction.atomic
def user_register(*, actor, fields: UserFields) -> User:
    """Create a user from the API (``POST /users``); an e-mail address on file is a
    ``Conflict``. They hold no role until one is given."""
    return _user_save(User(), fields, actor=actor)


@transaction.atomic
def user_replace(user: User, /, *, actor, fields: UserFields) -> User:
    """Replace a user's e-mail, name, picture, profile and attributes (``PUT``)."""
    return _user_save(user, fields, actor=actor)


@transaction.atomic
def user_remove(user: User, /, *, actor) -> None:
    """Delete a user: their roles and tokens go with them; what they did stays in the history."""
    if actor is not None and user.pk == actor.pk:
        raise Locked("You cannot delete yourself")
    delete_entity(user, actor=actor)
