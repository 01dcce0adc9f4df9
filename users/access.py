"""Who may do what: the permission graph evaluated for one caller, once per request.

A caller's permissions on an entity are the closure (under ``grants`` and ``grants_child``) of
the roles they hold everywhere, on that entity, or on an entity above it (customer → program →
project → work order → batch; location → queue → batch). A permission is in force only where
each permission it ``requires`` is in force too — on the entity above it that the required
permission is about (``batch:read`` needs ``queue:read`` on the batch's queue and
``work-order:read`` on its work order). Any relation between the caller and an entity lets
them read it.

The same rules are written twice, once for one entity in Python (``allows``) and once as a
queryset filter (``visible``) for lists, 404s and every reference; a test holds the two
together.
"""

from collections import defaultdict
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from relations.models import Relation
from relations.registry import EntityKind, entities

from .models import RoleHolding
from .permission_graph import GRAPH

# A filter that keeps every row, and one that keeps none.
ALL = Q()
NONE = Q(pk__in=[])


@lru_cache(maxsize=4096)
def closure(held: frozenset[str]) -> frozenset[str]:
    """Return ``held`` with everything it grants, to the entity and below, transitively."""
    found, pending = set(held), list(held)
    while pending:
        node = GRAPH.get(pending.pop())
        for granted in (*node.grants, *node.grants_child) if node else ():
            if granted not in found:
                found.add(granted)
                pending.append(granted)
    return frozenset(found)


def kind_of(permission: str) -> str:
    """``"work-order:create"`` → ``"work-order"``."""
    return permission.split(":", 1)[0]


# The kinds of entity the graph speaks of. Others (users, roles, relations) have rules of
# their own: see ``users.api.access``.
GOVERNED_KINDS = frozenset(kind_of(name) for name in GRAPH)


def _kind_of_model(model) -> EntityKind | None:
    return entities.for_model(model)


class Access:
    """What one caller may do. Build it with ``access_for(request)``."""

    def __init__(self, user, *, scopes: frozenset[str] | None = None):
        self.user = user
        # An OAuth2 token's scopes bound what it may do (None: a session or personal token).
        self.scopes = closure(scopes) if scopes is not None else None
        superuser = bool(user.is_authenticated and user.is_active and user.is_superuser)
        # A superuser may do anything; through a token, anything its scopes say.
        self.unrestricted = superuser and self.scopes is None
        holdings = []
        if user.is_authenticated and user.is_active and not superuser:
            holdings = list(
                RoleHolding.objects.filter(user=user).values_list(
                    "role__grants", "entity_type_id", "entity_id"
                )
            )
        everywhere: set[str] = set()
        anchored: dict[tuple[str, int], set[str]] = defaultdict(set)
        # Grants with ``match_location``: in force only on entities at a location the user is
        # at (related to: a technician of the location, say). Keyed like ``anchored``, with
        # None for "everywhere".
        bound: dict[tuple[str, int] | None, set[str]] = defaultdict(set)
        for grants, type_id, entity_id in holdings:
            anchor = None
            if type_id is not None:
                kind = _kind_of_model(ContentType.objects.get_for_id(type_id).model_class())
                if kind is None:
                    continue
                anchor = (kind.kind, entity_id)
            for grant in grants:
                if grant.get("match_location"):
                    bound[anchor].add(grant["permission"])
                elif anchor is None:
                    everywhere.add(grant["permission"])
                else:
                    anchored[anchor].add(grant["permission"])
        # Closure distributes over union (every rule has one premise), so each anchor keeps its
        # own closure and a context's permissions are the union of its anchors'.
        if superuser and self.scopes is not None:
            everywhere = set(self.scopes)
        self.everywhere = self._scoped(closure(frozenset(everywhere)))
        self.anchors = {
            key: self._scoped(closure(frozenset(held))) for key, held in anchored.items()
        }
        self.bound = {key: self._scoped(closure(frozenset(held))) for key, held in bound.items()}
        self._related: dict[str, set[int]] | None = None
        self._readable_ids: dict[str, set[str] | None] = {}

    def _scoped(self, permissions: frozenset[str]) -> frozenset[str]:
        return permissions if self.scopes is None else permissions & self.scopes

    # -- what is held where -------------------------------------------------------------

    def related(self, kind: str) -> set[int]:
        """Return the ids of the entities of ``kind`` the caller has a relation with."""
        if self._related is None:
            self._related = defaultdict(set)
            if self.user.is_authenticated:
                user_type = ContentType.objects.get_for_model(self.user)
                rows = Relation.objects.filter(
                    Q(subject_type=user_type, subject_id=self.user.pk)
                    | Q(object_type=user_type, object_id=self.user.pk)
                ).values_list("subject_type_id", "subject_id", "object_type_id", "object_id")
                for subject_type, subject_id, object_type, object_id in rows:
                    if (subject_type, subject_id) == (user_type.pk, self.user.pk):
                        other_type, other_id = object_type, object_id
                    else:
                        other_type, other_id = subject_type, subject_id
                    other = _kind_of_model(ContentType.objects.get_for_id(other_type).model_class())
                    if other is not None:
                        self._related[other.kind].add(other_id)
        return self._related[kind]

    def holds_anywhere(self, permission: str) -> bool:
        """Whether ``permission`` is held everywhere or on some entity."""
        return (
            self.unrestricted
            or permission in self.everywhere
            or any(permission in held for held in self.anchors.values())
            or any(permission in held for held in self.bound.values())
        )

    def governs(self, kind: str) -> bool:
        """Whether the graph speaks of entities of ``kind``."""
        return kind in GOVERNED_KINDS

    def may_somewhere(self, permission: str) -> bool:
        """Whether ``permission`` is in force on some entity: held somewhere, or (a read) by
        a relation with one."""
        kind = kind_of(permission)
        return self.holds_anywhere(permission) or bool(
            self._relation_reads(permission, kind) and self.related(kind)
        )

    def may_create_somewhere(self, permission: str) -> bool:
        """Whether a create (``program:create``) is held where it can be used: everywhere, or
        on an entity of a kind the new one goes under (a customer, for a program)."""
        if self.holds_everywhere(permission):
            return True
        above = _ancestor_kinds(kind_of(permission))
        return any(permission in held and kind in above for (kind, _), held in self.anchors.items())

    def may_create_everywhere(self, model) -> bool:
        """Whether the caller may create entities of ``model`` anywhere (an import)."""
        kind = _kind_of_model(model)
        if kind is None or kind.kind not in GOVERNED_KINDS:
            return self.unrestricted or self.user.has_perm(
                f"{model._meta.app_label}.add_{model._meta.model_name}"
            )
        return self.holds_everywhere(f"{kind.kind}:create")

    def holds_everywhere(self, permission: str) -> bool:
        return self.unrestricted or permission in self.everywhere

    # -- one entity, in Python ----------------------------------------------------------

    def context(self, *instances) -> dict[str, int]:
        """Return the ids, by kind, of ``instances`` and every entity above them."""
        found: dict[str, int] = {}
        for instance in instances:
            kind = _kind_of_model(type(instance))
            if kind is None:
                continue
            found[kind.kind] = instance.pk
            if kind.ancestors:
                paths = list(kind.ancestors.items())
                values = (
                    type(instance)
                    ._base_manager.filter(pk=instance.pk)
                    .values_list(*(path for _, path in paths))
                )
                for (ancestor, _), pk in zip(paths, values.first() or (), strict=False):
                    if pk is not None:
                        found[ancestor] = pk
        return found

    def allows(self, permission: str, *instances, context: dict[str, int] | None = None) -> bool:
        """Whether the caller may ``permission`` on ``instances``: the entity itself (read,
        update, delete…) or, for a create, the entities the new one goes under."""
        if self.unrestricted:
            return True
        if permission in self.everywhere and not (
            GRAPH[permission].required if permission in GRAPH else ()
        ):
            return True  # held everywhere and needing nothing else: no need to look above
        return self._allows(
            permission, context if context is not None else self.context(*instances)
        )

    def _allows(self, permission: str, context: dict[str, int], seen=frozenset()) -> bool:
        kind = kind_of(permission)
        if self._relation_reads(permission, kind) and context.get(kind) in self.related(kind):
            return True
        held = permission in self.everywhere or any(
            permission in self.anchors.get(anchor, ()) for anchor in context.items()
        )
        if not held and self.bound and context.get("location") in self.related("location"):
            held = permission in self.bound.get(None, ()) or any(
                permission in self.bound.get(anchor, ()) for anchor in context.items()
            )
        if not held or permission in seen:
            return held
        seen = seen | {permission}
        for required in GRAPH[permission].required if permission in GRAPH else ():
            above = kind_of(required)
            if above != kind and above in context:
                if not self._allows(required, self._context_of(above, context), seen):
                    return False
            elif above == kind or above in _ancestor_kinds(kind):
                if not self._allows(required, context, seen):
                    return False
            elif not self.holds_anywhere(required):
                return False
        return True

    def _relation_reads(self, permission: str, kind: str) -> bool:
        # A relation with an entity lets one read it (within a token's scopes).
        return permission == f"{kind}:read" and (self.scopes is None or permission in self.scopes)

    @staticmethod
    def _context_of(kind: str, context: dict[str, int]) -> dict[str, int]:
        keep = {kind, *_ancestor_kinds(kind)}
        return {each: pk for each, pk in context.items() if each in keep}

    def can_read(self, instance) -> bool:
        """Whether the caller may read ``instance`` (an entity the graph governs; any other
        object is as readable as what it belongs to, which the caller already reached)."""
        kind = _kind_of_model(type(instance))
        if kind is None or kind.kind not in GOVERNED_KINDS:
            return True
        return self.allows(f"{kind.kind}:read", instance)

    def may_follow(self, collection: str, public_id: str) -> bool:
        """Whether the caller may read the entity at ``collection/public_id``: one query per
        kind per request (none when they read every one of that kind)."""
        kind = entities.by_collection(collection)
        if self.unrestricted or kind is None or kind.kind not in GOVERNED_KINDS:
            return True
        if kind.kind not in self._readable_ids:
            condition = self.condition(f"{kind.kind}:read", kind)
            self._readable_ids[kind.kind] = (
                None
                if condition is ALL
                else set(
                    kind.model._default_manager.filter(condition).values_list(
                        "public_id", flat=True
                    )
                )
            )
        readable = self._readable_ids[kind.kind]
        return readable is None or public_id in readable

    def may_embed(self, instance) -> bool:
        kind = _kind_of_model(type(instance))
        return kind is None or self.may_follow(kind.collection, instance.public_id)

    # -- many entities, as a filter -----------------------------------------------------

    def visible(self, queryset, *, through: str = "", permission: str = ""):
        """Return the rows of ``queryset`` the caller may read (or ``permission``), in one
        filter. ``through`` reads them through another entity: cycles through their batch."""
        kind = _kind_of_model(queryset.model)
        prefix = f"{through}__" if through else ""
        if through:
            kind = _kind_of_model(queryset.model._meta.get_field(through).related_model)
        if kind is None or kind.kind not in GOVERNED_KINDS or self.unrestricted:
            return queryset
        condition = self.condition(permission or f"{kind.kind}:read", kind, prefix)
        return queryset if condition is ALL else queryset.filter(condition)

    def condition(self, permission: str, kind: EntityKind, prefix: str = "", seen=frozenset()):
        """Return the filter (``ALL``, ``NONE`` or a ``Q``) on rows of ``kind``, reached by
        the lookup ``prefix``, where ``permission`` is in force."""
        if self.unrestricted:
            return ALL
        if permission in self.everywhere:
            own = ALL
        else:
            paths = {kind.kind: "pk", **kind.ancestors}
            by_kind: dict[str, list[int]] = defaultdict(list)
            for (anchor_kind, pk), held in self.anchors.items():
                if permission in held and anchor_kind in paths:
                    by_kind[anchor_kind].append(pk)
            own = _any(
                Q(**{f"{prefix}{paths[anchor_kind]}__in": sorted(pks)})
                for anchor_kind, pks in by_kind.items()
            )
            own = _or(own, self._bound_condition(permission, paths, prefix))
        if own is not NONE and permission not in seen:
            seen = seen | {permission}
            for required in GRAPH[permission].required if permission in GRAPH else ():
                own = _and(own, self._required_condition(required, kind, prefix, seen))
        if (
            self._relation_reads(permission, kind.kind)
            and self.related(kind.kind)
            and own is not ALL
        ):
            related = Q(**{f"{prefix}pk__in": sorted(self.related(kind.kind))})
            own = _any([own, related]) if own is not NONE else related
        return own

    def _bound_condition(self, permission: str, paths: dict[str, str], prefix: str):
        """Where ``match_location`` grants put ``permission`` in force: rows at a location the
        user is at, below an anchor holding it (or anywhere, for a grant held everywhere)."""
        here = self.related("location") if self.bound and "location" in paths else set()
        if not here:
            return NONE
        if permission in self.bound.get(None, ()):
            anchors = ALL
        else:
            anchors = _any(
                Q(**{f"{prefix}{paths[anchor[0]]}__in": [anchor[1]]})
                for anchor, held in self.bound.items()
                if anchor is not None and anchor[0] in paths and permission in held
            )
        at_location = Q(**{f"{prefix}{paths['location']}__in": sorted(here)})
        return _and(at_location, anchors)

    def _required_condition(self, required: str, kind: EntityKind, prefix: str, seen):
        above = kind_of(required)
        if above == kind.kind:
            return self.condition(required, kind, prefix, seen)
        if above in kind.ancestors:
            above_kind = entities.by_kind(above)
            return self.condition(required, above_kind, f"{prefix}{kind.ancestors[above]}__", seen)
        return ALL if self.holds_anywhere(required) else NONE


def _any(conditions) -> Q:
    conditions = list(conditions)
    if not conditions:
        return NONE
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined | condition
    return combined


def _or(left, right):
    if left is ALL or right is ALL:
        return ALL
    if left is NONE:
        return right
    if right is NONE:
        return left
    return left | right


def _and(left, right):
    if left is NONE or right is NONE:
        return NONE
    if left is ALL:
        return right
    if right is ALL:
        return left
    return left & right


def _ancestor_kinds(kind: str) -> tuple[str, ...]:
    registered = entities.by_kind(kind)
    return tuple(registered.ancestors) if registered else ()


def access_for(request) -> Access:
    """Return the caller's ``Access``, built once per request (a DRF request or Django's)."""
    request = getattr(request, "_request", request)
    access = getattr(request, "_niagara_access", None)
    if access is None or access.user is not request.user:
        token = getattr(request, "auth", None)
        scope = getattr(token, "scope", None) if hasattr(token, "application") else None
        access = Access(
            request.user, scopes=frozenset(scope.split()) if scope is not None else None
        )
        request._niagara_access = access
    return access
