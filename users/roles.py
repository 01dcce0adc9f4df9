"""The two roles of the floor: a Niagara role each (``Role``, made by a data migration) and,
for the admin's model permissions, a group each."""

from django.db import models

from .permission_graph import GRAPH


class FloorRole(models.TextChoices):
    TECHNICIAN = "technician", "Technician"
    MANAGER = "manager", "Production manager"


# The group that carries each role's admin permissions, and the Niagara role of the same name.
GROUP_NAMES = {FloorRole.TECHNICIAN: "Technician", FloorRole.MANAGER: "Production manager"}

# What runs the floor: every permission on these kinds of entity.
FLOOR_KINDS = frozenset(
    {"customer", "program", "project", "work-order", "batch", "queue", "location", "work-flow"}
    | {"resource", "sub-resource"}
    | {"contact", "manufacturer", "vendor", "part", "unit", "note", "context", "file"}
    | {"action"}
)
# Running devices through their workflows, and asking for help in notes.
STEPPING = ("context:create", "context:read", "context:step", "me:profile", "note:create")

SHIPPED_PERMISSIONS = {
    # Technicians step cycles; which batches they see is what they are assigned to (a
    # "Technician For" relation lets them read a batch).
    FloorRole.TECHNICIAN: STEPPING,
    FloorRole.MANAGER: tuple(
        dict.fromkeys(  # each once, in this order
            (
                *sorted(name for name in GRAPH if name.split(":", 1)[0] in FLOOR_KINDS),
                *STEPPING,
                "tenant:read",  # the shop's people: whom to assign
            )
        )
    ),
}


def grant_what_ships(apps, schema_editor):
    """For a data migration (``RunPython``) when a kind the floor runs arrives: the shipped
    manager role made before gains the permissions it lacks; what a shop changed stays."""
    role = (
        apps.get_model("users", "Role").objects.filter(label=GROUP_NAMES[FloorRole.MANAGER]).first()
    )
    if role is None:
        return
    held = {grant["permission"] for grant in role.grants}
    missing = [name for name in SHIPPED_PERMISSIONS[FloorRole.MANAGER] if name not in held]
    role.grants = [
        *role.grants,
        *({"permission": name, "label": name, "match_location": False} for name in missing),
    ]
    role.save(update_fields=["grants"])
