"""The two roles of the floor, shipped as groups (a data migration creates them)."""

from django.db import models


class Role(models.TextChoices):
    TECHNICIAN = "technician", "Technician"
    MANAGER = "manager", "Production manager"


# The group that carries each role's permissions.
GROUP_NAMES = {Role.TECHNICIAN: "Technician", Role.MANAGER: "Production manager"}
