from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Concat, Trim

from niagara.models import new_public_id
from relations.registry import entities


class User(AbstractUser):
    """A person who signs in: a production manager, a technician or an API consumer."""

    public_id = models.CharField(
        "public id", max_length=64, unique=True, default=new_public_id, editable=False
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

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
