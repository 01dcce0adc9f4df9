from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Concat, Lower, Trim

from niagara.api.fields import WHITE_SPACE
from niagara.jsonschemas import DocumentValidator
from niagara.models import Entity, new_public_id
from niagara.text import CONTROL_CHARACTERS
from relations.registry import entities

# A picture or profile link: an http(s) URL, as the API's schema publishes it (one rule for the
# API, the admin and commands; not resolved or checked any further).
HTTP_URL_PATTERN = rf"^https?://[^{CONTROL_CHARACTERS}{WHITE_SPACE}]+$"
HTTP_URL = RegexValidator(HTTP_URL_PATTERN, "Enter an http(s) URL.")


class User(AbstractUser):
    """A person who signs in: a production manager, a technician or an API consumer."""

    public_id = models.CharField(
        "public id", max_length=64, unique=True, default=new_public_id, editable=False
    )
    updated = models.DateTimeField(auto_now=True)
    picture = models.CharField("picture URL", max_length=500, blank=True, validators=[HTTP_URL])
    profile = models.CharField("profile URL", max_length=500, blank=True, validators=[HTTP_URL])
    user_attributes = models.JSONField(
        default=list,
        blank=True,
        validators=[DocumentValidator("users.permission_graph.USER_ATTRIBUTES")],
        help_text="Up to 15 key/value pairs of the shop's own.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("act_for_others", "Can act on behalf of other users (the API's Requestor-ID)")
        ]

    @property
    def name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def created(self):
        return self.date_joined


entities.register(
    User,
    code="USER",
    collection="users",
    kind="user",
    label=models.Case(
        models.When(first_name="", last_name="", then=models.F("username")),
        default=Trim(Concat("first_name", models.Value(" "), "last_name")),
        output_field=models.CharField(),
    ),
    created_field="date_joined",
    history_excluded=("password", "last_login"),
)


class Role(Entity):
    """A named set of grants from the permission graph (``customer:read``, ``batch:create``…).

    Held by users (``RoleHolding``) globally or on one entity, where it reaches the entities
    below it."""

    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    grants = models.JSONField(validators=[DocumentValidator("users.permission_graph.GRANTS")])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                name="role_label_unique_ci",
                violation_error_message="A role with this label already exists.",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def permissions(self) -> frozenset[str]:
        return frozenset(grant["permission"] for grant in self.grants)


class RoleHolding(models.Model):
    """``user`` holds ``role`` everywhere (no entity) or on one entity and what is below it."""

    role = models.ForeignKey(Role, models.CASCADE, related_name="holdings")
    user = models.ForeignKey(User, models.CASCADE, related_name="role_holdings")
    entity_type = models.ForeignKey(
        ContentType, models.CASCADE, null=True, blank=True, related_name="+"
    )
    entity_id = models.BigIntegerField(null=True, blank=True)
    entity = GenericForeignKey("entity_type", "entity_id")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["role", "user"],
                condition=models.Q(entity_type__isnull=True),
                name="role_holding_global_unique",
                violation_error_message="The user already holds this role.",
            ),
            models.UniqueConstraint(
                fields=["role", "user", "entity_type", "entity_id"],
                name="role_holding_unique",
                violation_error_message="The user already holds this role there.",
            ),
            models.CheckConstraint(
                condition=models.Q(entity_type__isnull=True, entity_id__isnull=True)
                | models.Q(entity_type__isnull=False, entity_id__isnull=False),
                name="role_holding_entity_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["entity_type", "entity_id"], name="role_holding_entity_idx")
        ]

    def __str__(self):
        where = f" on {self.entity}" if self.entity_type_id else ""
        return f"{self.user} · {self.role}{where}"


entities.register(Role, code="ROLE", collection="roles", kind="role")


class StationPass(models.Model):
    """How a person takes over a shared station without a password: a badge they scan or a
    short PIN. Both are kept as digests only (the PIN with Django's password hasher, the badge
    as a SHA-256 digest: it is a long code, looked up by its digest)."""

    user = models.OneToOneField(User, models.CASCADE, related_name="station_pass")
    pin = models.CharField("PIN digest", max_length=200, blank=True)
    badge = models.CharField("badge digest", max_length=64, blank=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["badge"],
                condition=~models.Q(badge=""),
                name="station_pass_badge_unique",
                violation_error_message="Another person already has this badge.",
            )
        ]

    def __str__(self):
        return f"Station sign-in of {self.user}"


class OperatorSwitch(models.Model):
    """The audit of a shared station: who handed it to whom, how, and the attempts refused."""

    class Method(models.TextChoices):
        BADGE = "badge", "Badge"
        PIN = "pin", "Name and PIN"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_user = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="from"
    )
    to_user = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="to"
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    # What was typed as the name, for a refused PIN (never the PIN or the badge).
    name_tried = models.CharField("name tried", max_length=150, blank=True)
    succeeded = models.BooleanField()
    address = models.GenericIPAddressField("from address", null=True, blank=True)

    class Meta:
        verbose_name = "operator switch"
        verbose_name_plural = "operator switches"
        indexes = [models.Index(fields=["name_tried", "at"], name="operator_switch_tried_idx")]

    def __str__(self):
        return f"{self.from_user or '—'} → {self.to_user or self.name_tried or '—'}"


class PersonalToken(models.Model):
    """A person's API token (``create_token``): shown once when issued, kept as its SHA-256
    digest (a token is a long random string: a fast digest is enough, and it is looked up by
    it), with an expiry and the time it was last used."""

    public_id = models.CharField(
        "public id", max_length=64, unique=True, default=new_public_id, editable=False
    )
    user = models.ForeignKey(User, models.CASCADE, related_name="personal_tokens")
    label = models.CharField(
        max_length=100, blank=True, help_text="What it is for (a script, an integration)."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so a person can tell their tokens apart (never enough to use one).
    prefix = models.CharField(max_length=8, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text="Empty: never.")
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self):
        return f"{self.prefix}… of {self.user}"
