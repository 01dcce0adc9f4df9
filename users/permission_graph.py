"""The Niagara permission graph, as the docs publish it (``permissions.json``, 156 permissions).

Each permission: what it allows, the permissions it ``grants`` on the same entity, the ones it
``grants_child`` (on the entities below), and the ones it ``required`` (held too, or it is not
in force). Shipped as code: nothing is read from outside the project at run time.
"""

from typing import NamedTuple

from niagara.jsonschemas import DocumentSchema


class Permission(NamedTuple):
    description: str
    grants: tuple[str, ...] = ()
    grants_child: tuple[str, ...] = ()
    required: tuple[str, ...] = ()


GRAPH: dict[str, Permission] = {
    "action:create": Permission(
        "Allows creating a action", grants=("action:delete", "action:read", "action:update")
    ),
    "action:create-global": Permission(
        "Allows creating an action anywhere",
        grants=("action:delete", "action:update"),
        required=("action:read",),
    ),
    "action:delete": Permission("Allows deleting a action", grants=("action:read",)),
    "action:read": Permission("Allows reading a action"),
    "action:read-all": Permission("Allows reading all actions", grants=("action:read",)),
    "action:update": Permission("Allows updating a action", grants=("action:read",)),
    "batch:attach": Permission(
        "Allows creating relations for a batch",
        grants=("batch:detach", "batch:relations-read-all"),
        required=("batch:read",),
    ),
    "batch:attach-tech": Permission(
        "Allows assigning a tech for a batch",
        grants=("batch:detach-tech", "batch:relations-read-tech"),
        required=("batch:read",),
    ),
    "batch:create": Permission(
        "Allows creating a batch",
        grants=("batch:attach", "batch:delete", "batch:read", "batch:update"),
        required=("queue:read", "work-order:read"),
    ),
    "batch:delete": Permission("Allows deleting a batch", required=("batch:read",)),
    "batch:detach": Permission(
        "Allows deleting a relation to a batch", required=("batch:read", "batch:relations-read-all")
    ),
    "batch:detach-tech": Permission(
        "Allows deleting a tech from a batch", required=("batch:read", "batch:relations-read-tech")
    ),
    "batch:read": Permission(
        "Allows reading a batch",
        grants=("batch:relations-read-user",),
        required=("queue:read", "work-order:read"),
    ),
    "batch:read-all": Permission(
        "Allows reading all batches", grants=("batch:read",), required=("queue:read-all",)
    ),
    "batch:relations-read-all": Permission(
        "Allows reading all relations for a batch", required=("batch:read",)
    ),
    "batch:relations-read-tech": Permission(
        "Allows reading techs related to a batch", required=("batch:read",)
    ),
    "batch:relations-read-user": Permission(
        "Allows reading users related to a batch", required=("batch:read",)
    ),
    "batch:update": Permission("Allows updating a batch", required=("batch:read",)),
    "contact:create": Permission("Allows creating a contact", grants=("contact:read",)),
    "contact:delete": Permission("Allows deleting a contact", grants=("contact:read",)),
    "contact:read": Permission("Allows reading a contact"),
    "contact:read-all": Permission("Allows reading all contacts", grants=("contact:read",)),
    "contact:update": Permission("Allows updating a contact", grants=("contact:read",)),
    # The API pages' scopes name ``context:create`` and ``note:*``; the published table has
    # no rows for them, so they are added here (starting a run; the notes on units and work
    # orders).
    "context:create": Permission("Allows starting a context", grants=("context:read",)),
    "context:read": Permission("Allows access to a context"),
    "context:step": Permission("Allows completing a context step", grants=("context:read",)),
    "customer:attach": Permission(
        "Allows creating relations to the customer",
        grants=("customer:detach", "customer:relations-read-all"),
        required=("customer:read",),
    ),
    "customer:create": Permission(
        "Allows creating a customer",
        grants=("customer:attach", "customer:delete", "customer:update"),
        grants_child=("part:create", "program:create"),
    ),
    "customer:delete": Permission("Allows deleting a customer", required=("customer:read",)),
    "customer:detach": Permission(
        "Allows removing relations from a customer",
        required=("customer:read", "customer:relations-read"),
    ),
    "customer:read": Permission(
        "Allows reading a customer", grants=("customer:relations-read-user",)
    ),
    "customer:read-all": Permission("Allows reading all customers", grants=("customer:read",)),
    "customer:relations-read": Permission(
        "Allows reading a customer relation", required=("customer:read",)
    ),
    "customer:relations-read-all": Permission(
        "Allows reading all customer relations", required=("customer:read",)
    ),
    "customer:relations-read-user": Permission(
        "Allows reading all users related to a customer", required=("customer:read",)
    ),
    "customer:update": Permission("Allows updating a customer", required=("customer:read",)),
    "file:attach": Permission("Allows creating a relation to a file", grants=("file:delete",)),
    "file:create": Permission("Allows uploading files", grants=("file:attach", "file:read")),
    "file:delete": Permission("Allows deleting a file", required=("file:read",)),
    "file:detach": Permission(
        "Allows deleting a relation to a file", required=("file:read", "file:relations-read-all")
    ),
    "file:read": Permission(
        "Allows the reading and downloading of a file", grants=("file:relations-read-user",)
    ),
    "file:read-all": Permission("Allows reading all files", grants=("file:read",)),
    "file:relations-read-all": Permission(
        "Allows reading user related to a file", required=("file:read",)
    ),
    "file:relations-read-user": Permission(
        "Allows reading user related to a file", required=("file:read",)
    ),
    "location:attach": Permission(
        "Allows creating a relation to a location",
        grants=("location:detach", "location:relations-read-all"),
        required=("location:read",),
    ),
    "location:create": Permission(
        "Allows creating a location",
        grants=(
            "location:attach",
            "location:delete",
            "location:read",
            "location:relations-read-all",
            "location:update",
        ),
        grants_child=("resource:create",),
    ),
    "location:delete": Permission("Allows deleting a location", required=("location:read",)),
    "location:detach": Permission(
        "Allows deleting a location", required=("location:read", "location:relations-read-all")
    ),
    "location:read": Permission(
        "Allows reading a location", grants=("location:relations-read-user",)
    ),
    "location:read-all": Permission("Allows reading all files", grants=("location:read",)),
    "location:relations-read-all": Permission(
        "Allows reading all relations related to a location", required=("location:read",)
    ),
    "location:relations-read-user": Permission(
        "Allows reading all users related to a location", required=("location:read",)
    ),
    "location:update": Permission("Allows updating a location", required=("location:read",)),
    "manufacturer:attach": Permission(
        "Allows creating a relation for a manufacturer",
        grants=("manufacturer:detach",),
        required=("manufacturer:read",),
    ),
    "manufacturer:create": Permission(
        "Allows creating a manufacturer",
        grants=(
            "manufacturer:attach",
            "manufacturer:delete",
            "manufacturer:read",
            "manufacturer:update",
        ),
    ),
    "manufacturer:delete": Permission(
        "Allows deleting a manufacturer", required=("manufacturer:read",)
    ),
    "manufacturer:detach": Permission(
        "Allows deleting a relation for a manufacturer",
        required=("manufacturer:read", "manufacturer:relations-read-all"),
    ),
    "manufacturer:read": Permission(
        "Allows reading a manufacturer", grants=("manufacturer:relations-read-user",)
    ),
    "manufacturer:read-all": Permission("Allows reading all man", grants=("manufacturer:read",)),
    "manufacturer:relations-read-all": Permission(
        "Allows reading all relations related to a manufacturer", required=("manufacturer:read",)
    ),
    "manufacturer:relations-read-user": Permission(
        "Allows reading all users related to a manufacturer", required=("manufacturer:read",)
    ),
    "manufacturer:update": Permission(
        "Allows updating a manufacturer", required=("manufacturer:read",)
    ),
    "me:profile": Permission("Allows the user to access their profile"),
    "note:create": Permission("Allows creating a note", grants=("note:read",)),
    "note:delete": Permission("Allows deleting a note", grants=("note:read",)),
    "note:read": Permission("Allows reading a note"),
    "note:update": Permission("Allows updating a note", grants=("note:read",)),
    "part:attach": Permission(
        "Allows adding relations to a part", grants=("part:detach",), required=("part:read",)
    ),
    "part:create": Permission(
        "Allows creating a part",
        grants=(
            "part:attach",
            "part:delete",
            "part:read",
            "part:relations-read-all",
            "part:update",
        ),
        grants_child=("unit:create",),
        required=("customer:read", "manufacturer:read"),
    ),
    "part:delete": Permission("Allows deleting a part", required=("part:read",)),
    "part:detach": Permission("Allows removing relations from a part", required=("part:read",)),
    "part:read": Permission(
        "Allows reading a part",
        grants=("part:read", "part:relations-read-user"),
        required=("customer:read", "manufacturer:read"),
    ),
    "part:read-all": Permission(
        "Allows reading all parts", required=("customer:read-all", "manufacturer:read-all")
    ),
    "part:relations-read-all": Permission(
        "Allows reading all relations related to a part", required=("part:read",)
    ),
    "part:relations-read-part": Permission(
        "Allows reading parts related to a part", required=("part:read",)
    ),
    "part:relations-read-user": Permission(
        "Allows reading users related to a part", required=("part:read",)
    ),
    "part:update": Permission("Allows updating a part", required=("part:read",)),
    "program:attach": Permission(
        "Allows creating relations for a program",
        grants=("program:detach",),
        required=("program:read",),
    ),
    "program:create": Permission(
        "Allows creating a new program",
        grants=(
            "program:attach",
            "program:delete",
            "program:read",
            "program:relations-read-all",
            "program:update",
        ),
        grants_child=("project:create",),
        required=("customer:read",),
    ),
    "program:delete": Permission("Allows deleting a program", required=("program:read",)),
    "program:detach": Permission(
        "Allows removing relations from a program",
        required=("program:read", "program:relations-read-all"),
    ),
    "program:read": Permission("Allows reading a program", required=("customer:read",)),
    "program:read-all": Permission(
        "Read all programs (regardless of customer)",
        grants=("program:read",),
        required=("customer:read-all",),
    ),
    "program:relations-read-all": Permission(
        "Allows reading users related to a batch program", required=("program:read",)
    ),
    "program:relations-read-user": Permission(
        "Allows reading users related to a batch program", required=("program:read",)
    ),
    "program:update": Permission("Allows updating a program", required=("program:read",)),
    "project:attach": Permission(
        "Allows adding relations to a project",
        grants=("project:detach",),
        required=("project:read", "project:relations-read-all"),
    ),
    "project:create": Permission(
        "Allows creating a project",
        grants=(
            "project:attach",
            "project:delete",
            "project:read",
            "project:relations-read-all",
            "project:update",
        ),
        grants_child=("work-order:create",),
        required=("program:read",),
    ),
    "project:delete": Permission("Allows deleting a project", required=("project:read",)),
    "project:detach": Permission(
        "Allows removing relations from a project",
        required=("project:read", "project:relations-read-all"),
    ),
    "project:read": Permission(
        "Allows reading a project",
        grants=("project:relations-read-user",),
        required=("program:read",),
    ),
    "project:read-all": Permission(
        "Allows reading all projects", grants=("project:read",), required=("program:read-all",)
    ),
    "project:relations-read-all": Permission(
        "Allows reading all relations for a project", required=("project:read",)
    ),
    "project:relations-read-user": Permission(
        "Allows reading users related to a batch project", required=("project:read",)
    ),
    "project:update": Permission("Allows updating a project", required=("project:read",)),
    "queue:attach": Permission(
        "Allows adding relations to a queue",
        grants=("queue:detach", "queue:relations-read-all"),
        required=("queue:read",),
    ),
    "queue:create": Permission(
        "Allows creating a queue",
        grants=(
            "queue:attach",
            "queue:delete",
            "queue:read",
            "queue:relations-read-all",
            "queue:update",
        ),
        required=("location:read",),
    ),
    "queue:delete": Permission("Allows deleting a queue", required=("queue:read",)),
    "queue:detach": Permission(
        "Allows removing relations from a queue",
        required=("queue:read", "queue:relations-read-all"),
    ),
    "queue:read": Permission(
        "Allows reading a queue", grants=("batch:read-all",), required=("location:read",)
    ),
    "queue:read-all": Permission(
        "Allows reading all queues", grants=("queue:read",), required=("location:read-all",)
    ),
    "queue:relations-read-all": Permission(
        "Allows reading all relations related to a queue", required=("queue:read",)
    ),
    "queue:relations-read-user": Permission(
        "Allows reading users related to a queue", required=("queue:read",)
    ),
    "queue:update": Permission("Allows updating a queue", required=("queue:read",)),
    "resource:attach": Permission(
        "Allows adding relations to a resource",
        grants=("resource:detach",),
        required=("resource:read",),
    ),
    "resource:create": Permission(
        "Allows creating a resource",
        grants=(
            "resource:attach",
            "resource:create",
            "resource:delete",
            "resource:read",
            "resource:relations-read-all",
            "resource:update",
            "sub-resource:create",
        ),
        required=("location:read",),
    ),
    "resource:delete": Permission("Allows deleting a resource", required=("resource:read",)),
    "resource:detach": Permission(
        "Allows removing relations from a resource",
        required=("resource:read", "resource:relations-read-all"),
    ),
    "resource:read": Permission(
        "Allows reading a resource",
        grants=("resource:relations-read-user",),
        required=("location:read",),
    ),
    "resource:read-all": Permission(
        "Allows reading all resources", grants=("resource:read",), required=("location:read-all",)
    ),
    "resource:relations-read-all": Permission(
        "Allows reading all relations related to a resource", required=("resource:read",)
    ),
    "resource:relations-read-user": Permission(
        "Allows reading users related to a resource", required=("resource:read",)
    ),
    "resource:update": Permission("Allows updating a resource", required=("resource:read",)),
    "sub-resource:attach": Permission(
        "Allows adding relations to a sub-resource",
        grants=("sub-resource:detach",),
        required=("sub-resource:read",),
    ),
    "sub-resource:create": Permission(
        "Allows creating a sub-resource",
        grants=(
            "sub-resource:attach",
            "sub-resource:create",
            "sub-resource:delete",
            "sub-resource:read",
            "sub-resource:relations-read-all",
            "sub-resource:update",
        ),
        required=("resource:read",),
    ),
    "sub-resource:delete": Permission(
        "Allows deleting a sub-resource", required=("sub-resource:read",)
    ),
    "sub-resource:detach": Permission(
        "Allows removing relations from a sub-resource",
        required=("sub-resource:read", "sub-resource:relations-read-all"),
    ),
    "sub-resource:read": Permission(
        "Allows reading a sub-resource",
        grants=("sub-resource:relations-read-user",),
        required=("resource:read",),
    ),
    "sub-resource:read-all": Permission(
        "Allows reading all sub-resources",
        grants=("sub-resource:read",),
        required=("resource:read-all",),
    ),
    "sub-resource:relations-read-all": Permission(
        "Allows reading all relations related to a sub-resource", required=("sub-resource:read",)
    ),
    "sub-resource:relations-read-user": Permission(
        "Allows reading users related to a sub-resource", required=("sub-resource:read",)
    ),
    "sub-resource:update": Permission(
        "Allows updating a sub-resource", required=("sub-resource:read",)
    ),
    "tenant:read": Permission("Allows reading a tenant", grants=("tenant:relations-read-user",)),
    "tenant:relations-read-user": Permission(
        "Allows reading users related to a batch tenant", grants=("tenant:read",)
    ),
    "tenant:search": Permission("Allows searching across the tenant data"),
    "tenant:settings": Permission("Allows updating settings for a tenant", grants=("tenant:read",)),
    "unit:attach": Permission(
        "Allows adding relations to a unit",
        grants=("unit:detach", "unit:relations-read-all"),
        required=("unit:read",),
    ),
    "unit:create": Permission(
        "Allows creating a unit",
        grants=("unit:attach", "unit:delete", "unit:read", "unit:update"),
        required=("location:read", "part:read", "sub-resource:read", "vendor:read"),
    ),
    "unit:delete": Permission("Allows deleting a unit", required=("unit:read",)),
    "unit:detach": Permission(
        "Allows removing relations from a unit", required=("unit:read", "unit:relations-read-all")
    ),
    "unit:read": Permission(
        "Allows reading a unit",
        required=("location:read", "part:read", "sub-resource:read", "vendor:read"),
    ),
    "unit:relations-read-all": Permission(
        "Allows reading all relations related to a batch unit", required=("unit:read",)
    ),
    "unit:relations-read-user": Permission(
        "Allows reading users related to a batch unit", required=("unit:read",)
    ),
    "unit:update": Permission(
        "Allows updating a unit",
        required=("location:read", "part:read", "sub-resource:read", "unit:read"),
    ),
    "vendor:attach": Permission(
        "Allows creating relations for a vendor", grants=("vendor:detach",)
    ),
    "vendor:create": Permission(
        "Allows creating a vendor",
        grants=(
            "vendor:attach",
            "vendor:delete",
            "vendor:read",
            "vendor:relations-read-all",
            "vendor:update",
        ),
    ),
    "vendor:delete": Permission("Allows deleting a vendor", required=("vendor:read",)),
    "vendor:detach": Permission(
        "Allows removing relations for a vendor",
        required=("vendor:read", "vendor:relations-read-all"),
    ),
    "vendor:read": Permission("Allows reading a vendor", grants=("vendor:relations-read-user",)),
    "vendor:read-all": Permission("Allows reading all vendors", grants=("vendor:read",)),
    "vendor:relations-read-all": Permission(
        "Allows reading all relations related to a batch vendor", required=("vendor:read",)
    ),
    "vendor:relations-read-user": Permission(
        "Allows reading users related to a batch vendor", required=("vendor:read",)
    ),
    "vendor:update": Permission("Allows updating a vendor", required=("vendor:read",)),
    "work-flow:attach": Permission(
        "Allows adding relations to a work-flow",
        grants=("work-flow:detach",),
        required=("work-flow:read",),
    ),
    "work-flow:create": Permission(
        "Allows creating a work-flow",
        grants=("work-flow:attach", "work-flow:delete", "work-flow:read", "work-flow:update"),
    ),
    "work-flow:delete": Permission("Allows deleting a work-flow", required=("work-flow:read",)),
    "work-flow:detach": Permission(
        "Allows removing relations from a work-flow",
        required=("work-flow:read", "work-flow:relations-read-all"),
    ),
    "work-flow:read": Permission("Allows reading a work-flow"),
    "work-flow:read-all": Permission("Allows reading all work-flows", grants=("work-flow:read",)),
    "work-flow:relations-read-all": Permission(
        "Allows reading all relations related to a work-flow", required=("work-flow:read",)
    ),
    "work-flow:relations-read-user": Permission(
        "Allows reading users related to a work-flow", required=("work-flow:read",)
    ),
    "work-flow:update": Permission("Allows updating a work-flow", required=("work-flow:read",)),
    "work-order:attach": Permission(
        "Allows adding relations to a work-order",
        grants=("work-order:detach",),
        required=("work-order:read",),
    ),
    "work-order:create": Permission(
        "Allows creating a work-order",
        grants=(
            "work-order:attach",
            "work-order:delete",
            "work-order:read",
            "work-order:relations-read-all",
            "work-order:update",
        ),
        required=("project:read",),
    ),
    "work-order:delete": Permission("Allows deleting a work-order", required=("work-order:read",)),
    "work-order:detach": Permission(
        "Allows removing relations from a work-order",
        required=("work-order:read", "work-order:relations-read-all"),
    ),
    "work-order:read": Permission(
        "Allows reading a work-order",
        grants=("work-order:relations-read-user",),
        required=("project:read",),
    ),
    "work-order:read-all": Permission(
        "Allows reading all work-orders",
        grants=("work-order:read",),
        required=("project:read-all",),
    ),
    "work-order:relations-read-all": Permission(
        "Allows reading all relations to a work-order", required=("work-order:read",)
    ),
    "work-order:relations-read-user": Permission(
        "Allows reading users related to a work-order", required=("work-order:read",)
    ),
    "work-order:update": Permission("Allows updating a work-order", required=("work-order:read",)),
}

# A role's ``grants``, as the docs' role schema says (``permission.json``), naming graph
# permissions only.
GRANTS = DocumentSchema(
    {
        "type": "array",
        "minItems": 1,
        "maxItems": 500,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["permission", "label", "match_location"],
            "properties": {
                "permission": {"type": "string", "enum": sorted(GRAPH)},
                "label": {"type": "string", "minLength": 1, "maxLength": 200},
                "match_location": {"type": "boolean"},
            },
        },
    }
)

# A user's ``user_attributes`` (the docs' user schema): at most 15 string pairs.
USER_ATTRIBUTES = DocumentSchema(
    {
        "type": "array",
        "maxItems": 15,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["key", "value"],
            "properties": {
                "key": {"type": "string", "minLength": 1, "maxLength": 100},
                "value": {"type": "string", "maxLength": 1000},
            },
        },
    }
)
