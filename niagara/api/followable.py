"""What a page links to, read before it renders: one query per kind, never one per row.

A representation leaves out links to, and embedded objects of, what the caller may not read
(``niagara.access.may_follow``). Asking that row by row would cost a query per linked entity;
asking for every entity of a kind the caller may read would pull a whole floor into Python.
So before the root serializer renders, this walks its fields (links, embedded parents, nested
serializers that carry them) over the rows of the page, collects the public ids they will
link to, and has the caller's access read which of those are readable, one query per kind.
"""

from rest_framework import serializers
from rest_framework.fields import SkipField

from ..access import learn_followable
from .fields import (
    EmbeddedEntitiesField,
    EmbeddedReferenceField,
    HalLinksField,
    follow_path,
    in_a_list,
)

Targets = dict[str, set[str]]


def learn_page(serializer: serializers.BaseSerializer, instances: list) -> None:
    """Have the caller's access learn what rendering ``instances`` will link to."""
    request = serializer.context.get("request")
    if request is None or not instances:
        return
    targets: Targets = {}
    _collect(serializer, instances, targets, depth=0)
    if targets:
        learn_followable(request, targets)


def _add(targets: Targets, path: str) -> None:
    collection, _, rest = path.partition("/")
    if rest:
        targets.setdefault(collection, set()).add(rest.split("/", 1)[0])


def _add_entity(targets: Targets, value) -> None:
    # ``entity_collection`` is set on every registered entity's model by the entity registry.
    collection = getattr(type(value), "entity_collection", "")
    if collection and getattr(value, "public_id", None):
        targets.setdefault(collection, set()).add(value.public_id)


def _collect(serializer, instances: list, targets: Targets, depth: int) -> None:
    if depth > 4 or not _carries_links(serializer):
        return
    for field in _readable(serializer):
        if isinstance(field, HalLinksField):
            own = field.links.get("self", "")
            for rel, template in field.templates().items():
                if (rel == "self" and not field.checked_self) or (
                    own and template.startswith(f"{own}/")
                ):
                    continue  # the resource itself, and what is under its own path
                for obj in instances:
                    try:
                        _add(targets, template.format(obj=obj))
                    except AttributeError:
                        continue  # a parent that is not there: no link to ask about
        elif isinstance(field, EmbeddedReferenceField):
            values = _distinct(_attribute(field, obj) for obj in instances)
            for value in values:
                _add_entity(targets, value)
            if not field.renders_summaries():  # a summary links only to itself
                _collect(field.embedded_serializer, values, targets, depth + 1)
        elif isinstance(field, EmbeddedEntitiesField):
            for relation, (path, _serializer_class) in field.entries.items():
                values = _distinct(follow_path(obj, path) for obj in instances)
                for value in values:
                    _add_entity(targets, value)
                if not in_a_list(field):
                    _collect(field.serializers[relation], values, targets, depth + 1)
        elif isinstance(field, serializers.ListSerializer):
            values = [item for obj in instances for item in _items(field, obj)]
            _collect(field.child, values, targets, depth + 1)
        elif isinstance(field, serializers.Serializer):
            values = _distinct(_attribute(field, obj) for obj in instances)
            _collect(field, values, targets, depth + 1)


def _readable(serializer):
    fields = getattr(serializer, "_readable_fields", None)
    return list(fields) if fields is not None else []


def _carries_links(serializer) -> bool:
    """Whether ``serializer`` or anything nested in it links or embeds (decided once per
    serializer instance: the fields do not change between rows)."""
    known = getattr(serializer, "_niagara_carries_links", None)
    if known is None:
        known = False
        for field in _readable(serializer):
            if isinstance(field, HalLinksField | EmbeddedReferenceField | EmbeddedEntitiesField):
                known = True
            elif isinstance(field, serializers.ListSerializer):
                known = _carries_links(field.child)
            elif isinstance(field, serializers.Serializer):
                known = _carries_links(field)
            if known:
                break
        serializer._niagara_carries_links = known
    return known


def _attribute(field, obj):
    try:
        return field.get_attribute(obj)
    except (SkipField, AttributeError, KeyError):
        return None


def _items(field, obj) -> list:
    """The items of a nested list, when they are in hand: a related manager that was not
    prefetched is left alone (walking it would cost the query rendering costs)."""
    prefetched = getattr(obj, "_prefetched_objects_cache", {})
    name = field.source_attrs[-1] if field.source_attrs else ""
    if name and hasattr(getattr(obj, name, None), "all") and name not in prefetched:
        return []
    value = _attribute(field, obj)
    if value is None:
        return []
    return list(value.all() if hasattr(value, "all") else value)


def _distinct(values) -> list:
    seen, found = set(), []
    for value in values:
        if value is None:
            continue
        key = (type(value), getattr(value, "pk", id(value)))
        if key not in seen:
            seen.add(key)
            found.append(value)
    return found
