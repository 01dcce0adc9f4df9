"""The permission graph at the API's door: one filter for what a caller may read (every list,
every fetch, every parent in a URL) and one permission class for what they may change."""

from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import BasePermission

from relations.registry import entities

from ..access import GOVERNED_KINDS, access_for

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class VisibilityFilter(BaseFilterBackend):
    """Keep the rows the caller may read: a list shows them alone (and counts them alone), a
    fetch of any other answers 404. ``visible_through`` on a view reads its rows through
    another entity (a batch's cycles through the batch)."""

    def filter_queryset(self, request, queryset, view):
        if not getattr(view, "visibility", True):
            return queryset  # the view's rows are read with their parent
        return access_for(request).visible(queryset, through=getattr(view, "visible_through", ""))


def governed_kind(view) -> str | None:
    """The graph's name for the kind of entity ``view`` serves (``"work-order"``), if any."""
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else None
    kind = entities.for_model(model) if model is not None else None
    if kind is None or kind.kind not in GOVERNED_KINDS:
        return None
    return kind.kind


class GraphPermission(BasePermission):
    """Changing an entity needs the documented permission on it (``customer:update``,
    ``batch:delete``…); creating one, ``<kind>:create`` on what it goes under (and what that
    permission requires: ``batch:create`` needs ``queue:read`` and ``work-order:read``).

    A view may name other permissions per action in ``action_permissions``. Reads are the
    ``VisibilityFilter``'s: what one may not read is not found.
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) in ("create", "bulk_create"):
            # Whoever holds the permission nowhere is refused before their body is read.
            permission = self._permission(request, view, "create")
            return permission is None or access_for(request).may_create_somewhere(permission)
        return True

    def _permission(self, request, view, verb: str) -> str | None:
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named:
            return named
        kind = governed_kind(view)
        return f"{kind}:{verb}" if kind else None

    def has_object_permission(self, request, view, obj):
        if request.method in READ_METHODS:
            return True
        verb = "delete" if request.method == "DELETE" else "update"
        permission = self._permission(request, view, verb)
        through = getattr(view, "visible_through", "")
        target = getattr(obj, through) if through else obj
        return permission is None or access_for(request).allows(permission, target)

    def has_create_permission(self, request, view, validated_data) -> bool:
        """Whether the caller may create what ``validated_data`` describes: the permission is
        looked for on the entities the body names that the new one goes under."""
        permission = self._permission(request, view, "create")
        if permission is None:
            return True
        kind = entities.by_kind(permission.split(":", 1)[0])
        above = set(kind.ancestors) if kind else set()
        parents = [
            value
            for value in validated_data.values()
            if (found := entities.for_model(type(value))) is not None and found.kind in above
        ]
        return access_for(request).allows(permission, *parents)


class TenantPermission(BasePermission):
    """The shop's own records (its people, its roles): reading them needs ``tenant:read``
    held everywhere, changing them ``tenant:settings`` (administrators); a user may always
    read themself."""

    message = "Only administrators (tenant:settings) may change users and roles."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        access = access_for(request)
        if request.method in READ_METHODS:
            return access.may_read_shop_record("user", view.kwargs.get("user_id"))
        return access.holds_everywhere("tenant:settings")
