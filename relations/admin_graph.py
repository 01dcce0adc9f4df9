"""The admin under the permission graph: what a staff user may see and do there is what the
API would let them (``niagara.access``, the port to ``users.access``)."""

from django.core.exceptions import PermissionDenied

from niagara.access import access_for
from niagara.admin_base import NiagaraInline

from .registry import entities


class GraphAdminMixin:
    """The admin obeys the permission graph, as the API does: its lists and pickers show what
    the user may read (``niagara.admin_base``), and each page and action needs the documented
    permission (``customer:update`` to change a customer…). ``graph_through`` names the entity that
    decides for rows read through it (a cycle: its ``batch``); ``graph_permissions`` renames
    a verb's permission (changing a cycle is ``context:step``). Entities the graph does not
    govern (users, roles) keep their own rules."""

    graph_through = ""
    graph_permissions: dict[str, str] = {}

    def _graph_kind(self) -> str | None:
        model = self.model
        if self.graph_through:
            model = model._meta.get_field(self.graph_through).related_model
        kind = entities.for_model(model)
        return kind.kind if kind else None

    def _graph_decides(self, request, verb: str, obj=None) -> bool | None:
        access = access_for(request)
        kind = self._graph_kind()
        if kind is None or not access.governs(kind):
            return None
        if access.unrestricted:
            return True
        permission = self.graph_permissions.get(verb, f"{kind}:{verb}")
        return self._decide(access, permission, verb, obj)

    def _decide(self, access, permission: str, verb: str, obj) -> bool:
        if verb == "create":
            return access.may_create_somewhere(permission)
        if obj is None:
            return access.may_somewhere(permission)
        target = getattr(obj, self.graph_through) if self.graph_through else obj
        return access.allows(permission, target)

    def changeable(self, request, queryset):
        """Return the rows of ``queryset`` the user may change (what a bulk action touches)."""
        kind = self._graph_kind()
        access = access_for(request)
        if kind is None or not access.governs(kind):
            return queryset
        permission = self.graph_permissions.get("update", f"{kind}:update")
        return access.visible(queryset, through=self.graph_through, permission=permission)

    def has_view_permission(self, request, obj=None):
        decided = self._graph_decides(request, "read", obj)
        return super().has_view_permission(request, obj) if decided is None else decided

    def has_module_permission(self, request):
        # Listed on the admin's home and menu when the user may read some of them.
        decided = self._graph_decides(request, "read")
        return super().has_module_permission(request) if decided is None else decided

    def has_add_permission(self, request, *args):
        decided = self._graph_decides(request, "create")
        return super().has_add_permission(request, *args) if decided is None else decided

    def has_change_permission(self, request, obj=None):
        decided = self._graph_decides(request, "update", obj)
        return super().has_change_permission(request, obj) if decided is None else decided

    def has_delete_permission(self, request, obj=None):
        decided = self._graph_decides(request, "delete", obj)
        return super().has_delete_permission(request, obj) if decided is None else decided

    def check_create_under(self, request, obj) -> None:
        """Refuse a new entity where the user may not create it: ``<kind>:create`` on the
        entities it goes under (a program's customer)."""
        kind = entities.for_model(type(obj))
        access = access_for(request)
        if kind is None or not access.governs(kind.kind):
            return
        parents = [
            getattr(obj, field.name)
            for field in obj._meta.concrete_fields
            if field.is_relation
            and (found := entities.for_model(field.related_model)) is not None
            and found.kind in kind.ancestors
            and getattr(obj, field.attname) is not None
        ]
        if not access.allows(f"{kind.kind}:create", *parents):
            raise PermissionDenied(f"You may not create a {kind.verbose_name.lower()} there.")


class GraphInlineMixin(GraphAdminMixin, NiagaraInline):
    """``GraphAdminMixin`` for an inline: its permissions are asked with the page's entity
    (the parent): adding a program on a customer's page needs ``program:create`` there."""

    def _decide(self, access, permission: str, verb: str, obj) -> bool:
        if obj is None or verb == "read":
            return access.may_somewhere(permission)
        return access.allows(permission, obj)
