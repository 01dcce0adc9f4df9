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
