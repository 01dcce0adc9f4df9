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

Everything a caller may read is answered in SQL: the relations that let them read are
``EXISTS`` probes of the relation index (never their ids pulled into Python, however many
batches a technician holds), and
kinds whose readability follows another's (a unit through the batches it is cycled in, a run,
a note, a cycle) register one rule each here (``register_read_rule``), which ``visible`` and
``can_read`` apply for every caller: the API, the admin, the floor pages and commands.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from relations.models import Relation
from relations.registry import EntityKind, entities

from .models import Role, RoleHolding
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
# Kinds that belong to nothing when made: a file is attached afterwards (which needs
# ``<kind>:attach`` on what it is attached to), so ``file:create`` held anywhere uploads, and
# what one uploads is theirs alone to read until then.
UNANCHORED_KINDS = frozenset({"file"})
# The shop's own records, outside the graph (``tenant:read`` reads them).
SHOP_RECORDS = frozenset({"user", "role"})


def _kind_of_model(model) -> EntityKind | None:
    return entities.for_model(model)


# A rule for the rows of a model whose readability is not (only) the graph's on the model
# itself: ``rule(access)`` returns a filter on the model's own rows (``ALL``, ``NONE`` or a
# ``Q``), applied to reads by every caller but the unrestricted.
ReadRule = Callable[["Access"], Q]
_read_rules: dict[type[Model], ReadRule] = {}


def register_read_rule(model: type[Model], rule: ReadRule) -> None:
    """Make ``rule`` decide which rows of ``model`` a caller may read (from an app's
    models.py, once: the app that knows the rule owns it)."""
    _read_rules[model._meta.concrete_model] = rule


def read_rule_of(model) -> ReadRule | None:
    return _read_rules.get(model._meta.concrete_model)


class Access:
    """What one caller may do. Build it with ``access_for(request)``."""

    def __init__(self, user, *, scopes: frozenset[str] | None = None):
        self.user = user
        # An OAuth2 token's scopes bound what it may do (None: a session or personal token).
        self.scopes = closure(scopes) if scopes is not None else None
        superuser = bool(user.is_authenticated and user.is_active and user.is_superuser)
        # A superuser may do anything; through a token, anything its scopes say.
        self.unrestricted = superuser and self.scopes is None
        # Per request: what was asked of the database once is not asked again.
        self._directions: dict[str, tuple[bool, bool]] | None = None
        self._is_related: dict[tuple[str, int], bool] = {}
        self._ends: dict[str, tuple] = {}
        self._rule_conditions: dict[str, Q] = {}
        self._conditions: dict[tuple[str, str, str], Q] = {}
        # What ``may_follow`` learnt, by kind: public id → readable.
        self._followable: dict[str, dict[str, bool]] = defaultdict(dict)
        holdings = []
        if user.is_authenticated and user.is_active and not superuser:
            holdings = self._read_caller()
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
        # The entities the roles are held on: a handful, chosen by whoever grants roles (they
        # are the grants themselves, read in the one query above; never the caller's work).
        self.anchors = {
            key: self._scoped(closure(frozenset(held))) for key, held in anchored.items()
        }
        self.bound = {key: self._scoped(closure(frozenset(held))) for key, held in bound.items()}

    def _scoped(self, permissions: frozenset[str]) -> frozenset[str]:
        return permissions if self.scopes is None else permissions & self.scopes

    # -- the caller's relations, in SQL -------------------------------------------------

    def _relation_ends(self, kind: str):
        """The caller's relations to entities of ``kind``: (the ones they are the subject of,
        the ones they are the object of), as querysets of relations (made once a request)."""
        if kind not in self._ends:
            self._ends[kind] = self._make_relation_ends(kind)
        return self._ends[kind]

    def _make_relation_ends(self, kind: str):
        registered = entities.by_kind(kind)
        user_type = ContentType.objects.get_for_model(self.user)
        other_type = ContentType.objects.get_for_model(registered.model)
        me = self.user.pk
        outward = Relation.objects.filter(
            subject_type=user_type, subject_id=me, object_type=other_type
        )
        inward = Relation.objects.filter(
            object_type=user_type, object_id=me, subject_type=other_type
        )
        return outward, inward

    def _read_caller(self, *, holdings: bool = True) -> list[tuple]:
        """Read, in one statement, the caller's role holdings (grants, entity type, entity id)
        and which directions of relations they have to each governed kind (``directions``):
        two index probes a kind. Written out, not built by the ORM: it runs on every request
        of anyone but a superuser, and compiling ~30 ``Exists`` cost more than the database
        takes to answer them."""
        kinds = [each for each in entities if each.kind in GOVERNED_KINDS]
        user_type = ContentType.objects.get_for_model(self.user).pk
        me = self.user.pk
        params = []
        for each in kinds:
            kind_type = ContentType.objects.get_for_model(each.model).pk
            params += [user_type, me, kind_type, user_type, me, kind_type]
        with connection.cursor() as cursor:
            cursor.execute(_caller_sql(len(kinds), holdings), [*params, me] if holdings else params)
            rows = cursor.fetchall()
        probes = 2 * len(kinds)
        first = rows[0] if rows else (False,) * probes
        self._directions = {
            each.kind: (bool(first[2 * n]), bool(first[2 * n + 1])) for n, each in enumerate(kinds)
        }
        return [
            (json.loads(grants) if isinstance(grants, str) else grants, type_id, entity_id)
            for *_, grants, type_id, entity_id in (rows if holdings else [])
            if grants is not None
        ]

    def directions(self, kind: str) -> tuple[bool, bool]:
        """Whether the caller has relations to entities of ``kind`` as their subject ("USER
        tech BATCH", the usual way) and as their object. Read for every governed kind at once
        with the caller's role holdings (``_read_caller``); the SQL then asks only for the
        directions that exist."""
        if entities.by_kind(kind) is None or not self.user.is_authenticated:
            return False, False
        if self._directions is None:
            self._read_caller(holdings=False)
        return self._directions.get(kind, (False, False))

    def reads_only_related(self, kind: str) -> bool:
        """Whether what the caller reads of ``kind`` is exactly the entities they are the
        subject of a relation with ("USER tech BATCH": a technician's batches): no role of
        theirs reads any, and none of their relations has such an entity as its subject."""
        permission, governed = f"{kind}:read", entities.by_kind(kind)
        return (
            not self.unrestricted
            and read_rule_of(governed.model) is None
            and self._relation_reads(permission, kind)
            and self.directions(kind) == (True, False)
            and self._held_condition(permission, governed) is NONE
        )

    def relations_to(self, kind: str) -> QuerySet:
        """The relations the caller is the subject of whose object is of ``kind``."""
        return self._relation_ends(kind)[0]

    def has_related(self, kind: str) -> bool:
        """Whether the caller has a relation with some entity of ``kind``."""
        return any(self.directions(kind))

    def related_condition(self, kind: str, column: str) -> Q:
        """The rows whose ``column`` (a lookup: ``"pk"``, ``"batch__pk"``) is an entity of
        ``kind`` the caller has a relation with: an ``EXISTS`` probe of the relation index per
        direction the caller has (``relation_subject_end_idx``, ``relation_object_end_idx``).

        Never the related ids in Python. Where it is the only condition (a technician's
        batches) the database runs it as a semi-join from whichever side is cheaper — the page
        in id order probing the index, or the index read in id order; beside other grants (an
        ``OR``) it probes for each row considered, or hashes the caller's relations once when
        that is cheaper (PostgreSQL plans both and picks).
        """
        outward_exists, inward_exists = self.directions(kind)
        outward, inward = self._relation_ends(kind)
        probes = []
        if outward_exists:
            probes.append(Q(Exists(outward.filter(object_id=OuterRef(column)))))
        if inward_exists:
            probes.append(Q(Exists(inward.filter(subject_id=OuterRef(column)))))
        return _any(probes)

    def is_related(self, kind: str, pk: int | None) -> bool:
        """Whether the caller has a relation with the entity ``pk`` of ``kind`` (one query)."""
        if pk is None:
            return False
        registered = entities.by_kind(kind)
        if registered is None or not self.user.is_authenticated:
            return False
        if (kind, pk) not in self._is_related:
            user_type = ContentType.objects.get_for_model(self.user)
            other_type = ContentType.objects.get_for_model(registered.model)
            me = self.user.pk
            self._is_related[kind, pk] = Relation.objects.filter(
                Q(subject_type=user_type, subject_id=me, object_type=other_type, object_id=pk)
                | Q(object_type=user_type, object_id=me, subject_type=other_type, subject_id=pk)
            ).exists()
        return self._is_related[kind, pk]

    # -- what is held where -------------------------------------------------------------

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
            self._relation_reads(permission, kind) and self.has_related(kind)
        )

    def may_create_somewhere(self, permission: str) -> bool:
        """Whether a create (``program:create``) is held where it can be used: everywhere, or
        on an entity of a kind the new one goes under (a customer, for a program)."""
        if self.holds_everywhere(permission):
            return True
        if kind_of(permission) in UNANCHORED_KINDS:
            return self.holds_anywhere(permission)
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

    def may_read_shop_record(self, kind: str, public_id: str | None) -> bool:
        """The shop's own records (people, roles): ``tenant:read`` held everywhere reads
        them; anyone reads themself."""
        own = kind == "user" and public_id is not None and public_id == self.user.public_id
        return own or self.holds_everywhere("tenant:read")

    def may_read_history(self, instance) -> bool:
        """Whether the relations and history of ``instance`` (readable) are the caller's to
        read: the graph's entities', yes; people's and roles' (who changed them, their
        e-mail addresses), their administrators' alone."""
        kind = _kind_of_model(type(instance))
        return kind is None or self.governs(kind.kind) or self.may_administer_users()

    def may_administer_users(self) -> bool:
        """Whether the caller administers the shop's people and roles (``tenant:settings``
        held everywhere): their history, diffs and relations are for them alone."""
        return self.holds_everywhere("tenant:settings")

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
        if self._relation_reads(permission, kind) and self.is_related(kind, context.get(kind)):
            return True
        held = permission in self.everywhere or any(
            permission in self.anchors.get(anchor, ()) for anchor in context.items()
        )
        if not held and self.bound and self.is_related("location", context.get("location")):
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
        """Whether the caller may read ``instance``: the graph's rule for its kind, or the rule
        registered for its model (one query); any other object is as readable as what it
        belongs to, which the caller already reached."""
        model = type(instance)
        if not self.unrestricted and read_rule_of(model) is not None:
            return self.visible(model._base_manager.filter(pk=instance.pk)).exists()
        kind = _kind_of_model(model)
        if kind is None or kind.kind not in GOVERNED_KINDS:
            return True
        return self.allows(f"{kind.kind}:read", instance)

    # -- links on a page: one query per kind, never per row ------------------------------

    def learn_followable(self, targets: dict[str, Iterable[str]]) -> None:
        """Read, in one query per kind, which of the entities a page links to (public ids by
        collection) the caller may read, so ``may_follow`` answers them without a query."""
        for collection, public_ids in targets.items():
            kind = entities.by_collection(collection)
            if kind is None or kind.kind not in GOVERNED_KINDS or self.unrestricted:
                continue
            known = self._followable[kind.kind]
            wanted = {each for each in public_ids if each not in known}
            if not wanted:
                continue
            condition = self.condition(f"{kind.kind}:read", kind)
            if condition is ALL or condition is NONE:
                known.update(dict.fromkeys(wanted, condition is ALL))
                continue
            readable = set(
                kind.model._default_manager.filter(condition, public_id__in=wanted).values_list(
                    "public_id", flat=True
                )
            )
            known.update({each: each in readable for each in wanted})

    def learn_readable(self, instance) -> None:
        """Remember that the caller may read ``instance`` (found through ``visible``)."""
        kind = _kind_of_model(type(instance))
        if kind is not None and getattr(instance, "public_id", None):
            self._followable[kind.kind][instance.public_id] = True

    def may_follow(self, collection: str, public_id: str) -> bool:
        """Whether the caller may read the entity at ``collection/public_id``: answered from
        what ``learn_followable`` read for the page, else one query for that entity."""
        kind = entities.by_collection(collection)
        public_id = public_id.split("/", 1)[0]  # "work-flows/<id>/contexts": the work flow
        if self.unrestricted or kind is None:
            return True
        if kind.kind in SHOP_RECORDS:
            return self.may_read_shop_record(kind.kind, public_id)
        if kind.kind not in GOVERNED_KINDS:
            return True
        known = self._followable[kind.kind]
        if public_id not in known:
            self.learn_followable({collection: [public_id]})
        return known[public_id]

    def may_embed(self, instance) -> bool:
        kind = _kind_of_model(type(instance))
        return kind is None or self.may_follow(kind.collection, instance.public_id)

    # -- many entities, as a filter -----------------------------------------------------

    def visible(self, queryset, *, through: str = "", permission: str = ""):
        """Return the rows of ``queryset`` the caller may read (or ``permission``), in one
        filter. ``through`` reads them through another entity: cycles through their batch."""
        if self.unrestricted:
            return queryset
        if through:
            model = queryset.model._meta.get_field(through).related_model
            condition = self.condition_through(through, model, permission=permission)
        else:
            condition = self.read_condition(queryset.model, permission=permission)
        if condition is ALL:
            return queryset
        if condition is NONE:
            return queryset.none()
        return queryset.filter(condition)

    def read_condition(self, model, *, permission: str = ""):
        """The filter (``ALL``, ``NONE`` or a ``Q``) on rows of ``model`` the caller may read
        (or ``permission``): the rule registered for the model, else the graph's for its kind;
        a model neither speaks of is read with what it belongs to (``ALL``)."""
        if self.unrestricted:
            return ALL
        rule = read_rule_of(model) if not permission else None
        if rule is not None:
            return self._ruled(model, rule)
        kind = _kind_of_model(model)
        if kind is None or kind.kind not in GOVERNED_KINDS:
            return ALL
        return self.condition(permission or f"{kind.kind}:read", kind)

    def _ruled(self, model, rule: ReadRule):
        """``rule(self)``, made once a request (rules build nested subqueries)."""
        key = model._meta.label
        if key not in self._rule_conditions:
            self._rule_conditions[key] = rule(self)
        return self._rule_conditions[key]

    def condition_through(self, field: str, model, *, permission: str = ""):
        """``read_condition`` of ``model``, on rows that reach it by the foreign key ``field``
        (a note's ``unit``): a join for the graph's rules, a subquery for registered ones."""
        if self.unrestricted:
            return ALL
        rule = read_rule_of(model) if not permission else None
        kind = _kind_of_model(model)
        if rule is None:
            if kind is None or kind.kind not in GOVERNED_KINDS:
                return ALL
            condition = self.condition(permission or f"{kind.kind}:read", kind, f"{field}__")
        else:
            condition = self._ruled(model, rule)
            if condition is not ALL and condition is not NONE:
                condition = Q(
                    **{f"{field}__in": model._base_manager.filter(condition).values("pk")}
                )
        if condition is ALL:
            return Q(**{f"{field}__isnull": False})
        return condition

    def condition_for(self, permission: str, prefix: str = ""):
        """``condition`` for the kind ``permission`` is about (``"batch:read"``, ``"batch__"``:
        the cycles whose batch the caller may read)."""
        return self.condition(permission, entities.by_kind(kind_of(permission)), prefix)

    def condition(self, permission: str, kind: EntityKind, prefix: str = "", seen=frozenset()):
        """Return the filter (``ALL``, ``NONE`` or a ``Q``) on rows of ``kind``, reached by
        the lookup ``prefix``, where ``permission`` is in force."""
        if self.unrestricted:
            return ALL
        key = (permission, kind.kind, prefix)
        if not seen and key in self._conditions:
            return self._conditions[key]
        own = self._held_condition(permission, kind, prefix, seen)
        reads = own is not ALL and self._relation_reads(permission, kind.kind)
        if reads and self.has_related(kind.kind):
            related = self.related_condition(kind.kind, f"{prefix}pk")
            own = related if own is NONE else own | related
        if not seen:
            self._conditions[key] = own
        return own

    def _held_condition(self, permission: str, kind: EntityKind, prefix="", seen=frozenset()):
        """``condition`` without what relations let one read: the rows the caller's roles
        put ``permission`` in force on."""
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
            inner = seen | {permission}
            for required in GRAPH[permission].required if permission in GRAPH else ():
                own = _and(own, self._required_condition(required, kind, prefix, inner))
        return own

    def _bound_condition(self, permission: str, paths: dict[str, str], prefix: str):
        """Where ``match_location`` grants put ``permission`` in force: rows at a location the
        user is at, below an anchor holding it (or anywhere, for a grant held everywhere)."""
        if not (self.bound and "location" in paths and self.has_related("location")):
            return NONE
        if permission in self.bound.get(None, ()):
            anchors = ALL
        else:
            anchors = _any(
                Q(**{f"{prefix}{paths[anchor[0]]}__in": [anchor[1]]})
                for anchor, held in self.bound.items()
                if anchor is not None and anchor[0] in paths and permission in held
            )
        at_location = self.related_condition("location", f"{prefix}{paths['location']}")
        return _and(at_location, anchors)

    def _required_condition(self, required: str, kind: EntityKind, prefix: str, seen):
        above = kind_of(required)
        if above == kind.kind:
            return self.condition(required, kind, prefix, seen)
        if above in kind.ancestors:
            above_kind = entities.by_kind(above)
            return self.condition(required, above_kind, f"{prefix}{kind.ancestors[above]}__", seen)
        return ALL if self.holds_anywhere(required) else NONE


@lru_cache(maxsize=16)
def _caller_sql(kinds: int, holdings: bool) -> str:
    """The statement of ``Access._read_caller``: two ``EXISTS`` per kind (relations with the
    user as subject, as object), joined with the user's role holdings and their grants."""
    quote = connection.ops.quote_name
    table = quote(Relation._meta.db_table)
    column = {
        name: quote(Relation._meta.get_field(name).column)
        for name in ("subject_type", "subject_id", "object_type", "object_id")
    }
    outward = (
        f"EXISTS (SELECT 1 FROM {table} WHERE {column['subject_type']} = %s AND "
        f"{column['subject_id']} = %s AND {column['object_type']} = %s)"
    )
    inward = (
        f"EXISTS (SELECT 1 FROM {table} WHERE {column['object_type']} = %s AND "
        f"{column['object_id']} = %s AND {column['subject_type']} = %s)"
    )
    probes = ", ".join(
        f"{probe} AS {quote(f'p{n}')}" for n, probe in enumerate([outward, inward] * kinds)
    )
    if not holdings:
        return f"SELECT {probes}"
    holding, role = RoleHolding._meta, Role._meta
    held = {
        name: quote(holding.get_field(name).column)
        for name in ("role", "user", "entity_type", "entity_id")
    }
    return (
        f"SELECT d.*, r.{quote(role.get_field('grants').column)}, h.{held['entity_type']}, "
        f"h.{held['entity_id']} FROM (SELECT {probes}) AS d "
        f"LEFT JOIN {quote(holding.db_table)} h ON h.{held['user']} = %s "
        f"LEFT JOIN {quote(role.db_table)} r ON r.{quote(role.pk.column)} = h.{held['role']}"
    )


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


def readable_relations(access: Access) -> Q:
    """A relation is read where both its ends are: one that leads to what the caller may not
    read is not listed (nor the other end's name with it). One subquery per kind the caller
    reads only part of; none for the kinds they read whole (or that the graph does not
    govern: people and roles are read with their own rules)."""
    hidden = NONE
    for kind in entities:
        condition = access.read_condition(kind.model)
        if condition is ALL:
            continue
        type_id = ContentType.objects.get_for_model(kind.model).pk
        for end in ("subject", "object"):
            readable = Exists(kind.model._base_manager.filter(condition, pk=OuterRef(f"{end}_id")))
            here = Q(**{f"{end}_type_id": type_id}) & ~Q(readable)
            hidden = here if hidden is NONE else hidden | here
    return ALL if hidden is NONE else ~hidden


register_read_rule(Relation, readable_relations)


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
