"""Actions over the API: ``/actions`` (every action the caller may read; global ones made
there) and ``/{collection}/{id}/actions`` (the actions of one entity)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from niagara.access import access_for
from niagara.api.viewsets import ChildListViewSet, CreateModelMixin, ResourceViewSet
from relations.registry import entities
from users.api.access import GraphPermission

from .. import services
from ..models import Action
from .serializers import TARGET_CODES, ActionSerializer

EXAMPLE = {
    "label": "Tell me when a unit fails QC",
    "entity": None,
    "sequence": "after",
    "event": "CTX.step-failed",
    "criteria": [{"property": "qc", "operator": "equals", "value": "true"}],
    "effect": [
        {
            "effect_type": "notify",
            "options": {
                "contacts": ["<user or contact id>"],
                "label": "A unit failed QC",
                "message": "Step {step} failed on unit {unit_id}",
                "severity": "issue",
            },
        }
    ],
}


class ActionPermission(GraphPermission):
    """Reading, changing and deleting an action: ``action:read|update|delete`` where it is
    (the graph). Making one: ``action:create`` on its entity (which one must be able to read),
    or ``action:create-global`` held everywhere for a global one."""

    message = (
        "Making this action needs action:create on its entity "
        "(action:create-global for a global one)."
    )

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) == "create":
            access = access_for(request)
            return access.may_somewhere("action:create") or access.holds_everywhere(
                "action:create-global"
            )
        return True

    def has_create_permission(self, request, view, validated_data) -> bool:
        return may_create(request, validated_data.get("target_ref"))


def may_create(request, target) -> bool:
    access = access_for(request)
    if target is None:
        return access.holds_everywhere("action:create-global")
    return access.allows("action:create", target)


def fields_of(validated_data, *, target) -> services.ActionFields:
    data = dict(validated_data)
    data.pop("target_ref", None)
    return services.ActionFields(target=target, **data)


@extend_schema_view(
    list=extend_schema(
        summary="Fetch actions",
        operation_id="fetchActions",
        description="Every action the caller may read: global ones and those of entities.",
    ),
    create=extend_schema(
        summary="Create action",
        operation_id="createAction",
        description="On `event`, if every criterion holds, do each effect: `notify` people "
        "(user or contact ids: a notification in the app, an e-mail to any address) or "
        "`update` a status through the same rules as any write (its history names the action). "
        "Without `entity` the action is global (needs action:create-global everywhere).",
    ),
    retrieve=extend_schema(summary="Fetch action", operation_id="getAction"),
    update=extend_schema(summary="Update action", operation_id="updateAction"),
    partial_update=extend_schema(summary="Change part of action", operation_id="patchAction"),
    destroy=extend_schema(summary="Delete action", operation_id="deleteAction"),
)
class ActionViewSet(ResourceViewSet):
    collection = "actions"
    queryset = Action.objects.all()
    serializer_class = ActionSerializer
    lookup_url_kwarg = "action_id"
    permission_classes = [ActionPermission]
    create_service = staticmethod(services.action_create)
    update_service = staticmethod(services.action_update)
    delete_service = staticmethod(services.action_delete)

    def write_fields(self, serializer):
        target = serializer.validated_data.get("target_ref")
        instance = serializer.instance
        if (
            instance is not None
            and _moved(instance, target)
            and not may_create(self.request, target)
        ):
            self.permission_denied(self.request, message=ActionPermission.message)
        return fields_of(serializer.validated_data, target=target)


def _moved(action: Action, target) -> bool:
    now = target.public_id if target is not None else ""
    return now != action.target_id


class EntityActionsViewSet(CreateModelMixin, ChildListViewSet):
    """The actions of one entity; an action made here is that entity's."""

    collection = "actions"
    queryset = Action.objects.all()
    serializer_class = ActionSerializer
    permission_classes = [ActionPermission]
    code = ""

    def children_of(self, parent, queryset):
        return queryset.filter(target_type=self.code, target_id=parent.public_id)

    def check_create_permissions(self, validated_data):
        # The URL names the entity: an ``entity`` in the body is not read.
        if not may_create(self.request, self.parent):
            self.permission_denied(self.request, message=ActionPermission.message)

    def perform_create(self, serializer):
        serializer.instance = services.action_create(
            actor=self.request.user, fields=fields_of(serializer.validated_data, target=self.parent)
        )


def _name(kind) -> str:
    return "".join(part.capitalize() for part in kind.kind.replace("_", "-").split("-"))


def entity_actions_views() -> list[tuple]:
    """One view class per kind an action may be configured for: (kind, class)."""
    made = []
    for code in TARGET_CODES:
        kind = entities.get(code)
        name = _name(kind)
        label = kind.kind.replace("-", " ")
        view = type(
            f"{name}ActionsViewSet",
            (EntityActionsViewSet,),
            {
                "code": code,
                "parent_queryset": kind.model.objects.all(),
                "parent_kwarg": kind.id_kwarg,
                "__module__": __name__,
            },
        )
        view = extend_schema_view(
            list=extend_schema(
                summary=f"Fetch {label} actions", operation_id=f"fetchActionsFor{name}"
            ),
            create=extend_schema(
                summary=f"Create {label} action",
                operation_id=f"createActionFor{name}",
                description=f"An action on the events of this {label} and of what is under "
                "it (the URL names the entity: an `entity` in the body is not read).",
            ),
        )(view)
        made.append((kind, view))
    return made
