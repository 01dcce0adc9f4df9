"""Serializer fields as strict as the Niagara JSON schemas, and the HAL ``_links`` field."""

import datetime
import re
from functools import cached_property

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from niagara.jsonschemas import DocumentSchema
from niagara.labels import LABELS
from niagara.validation_messages import wording

from ..access import may_embed, may_follow, may_read_history, may_view
from . import rels
from .parsers import first_problem
from .validation import document_error

ID_PATTERN = r"^[0-9a-zA-Z-_]+$"
# White space as Python's ``str.isspace`` (and so ``strip``) knows it, spelled out: ``\s`` means
# another set in the ECMA regexes of JSON Schema, so published patterns never use it.
WHITE_SPACE = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
    r"\u205f\u3000"
)
ID_URL_PATTERN = r"[0-9a-zA-Z_-]+"


@extend_schema_field({"description": "Read-only: accepted and ignored (as fetched)"})
class IgnoredField(serializers.Field):
    """A key of the fetched representation that a write body may carry and the server ignores,
    whatever it holds, so a client may send back what it fetched (the docs' request examples
    are such representations). Never in the validated data."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, write_only=True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        raise SkipField()


class StrictCharField(serializers.CharField):
    """A string, and only a string: ``42`` is rejected instead of becoming ``"42"``."""

    json_type = "string"

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class OptionalTextField(StrictCharField):
    """Optional text stored as "" when absent, and answered as null then (``string|null``)."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, allow_null=True, allow_blank=True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return value or None


class StrictRegexField(StrictCharField):
    """A string matching ``pattern``; reported with the JSON-schema ``pattern`` keyword."""

    default_error_messages = {"pattern": wording("pattern", {"pattern": "{pattern}"})}

    def __init__(self, pattern: str, **kwargs):
        self.pattern = pattern
        self._regex = re.compile(pattern)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not self._regex.search(value):
            self.fail("pattern", pattern=self.pattern)
        return value


class StrictEmailField(serializers.EmailField):
    json_type = "string"

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_type")
        return super().to_internal_value(data).strip()

    default_error_messages = {"invalid_type": wording("type", {"type": "string"})}


class DocumentField(serializers.Field):
    """A JSON document validated by a ``DocumentSchema`` (published as that schema)."""

    def __init__(self, document_schema: DocumentSchema, **kwargs):
        self.document_schema = document_schema
        super().__init__(**kwargs)

    @property
    def json_type(self) -> str:
        return self.document_schema.schema.get("type", "object")

    def to_internal_value(self, data):
        # Stored as is: no control character anywhere (``niagara.text``).
        problem = first_problem(data)
        if problem:
            raise serializers.ValidationError(serializers.ErrorDetail(problem, code="pattern"))
        failures = self.document_schema.errors(data)
        if failures:
            raise document_error(failures)
        return data

    def to_representation(self, value):
        return value


class HalLinksField(serializers.Field):
    """The ``_links`` object of a HAL resource.

    ``links`` maps a link relation to an href template relative to the API root, formatted with
    the object (``"customers/{obj.public_id}"``); ``detail`` the ones only a resource's own
    ``GET`` carries (not its items in a list, whose bytes they would multiply). A resource's own
    ``GET`` of a registered entity also links its relations and its history (``nter:relations``,
    ``nter:diff``), so a client reaches every operation by following links. The API root is
    resolved once per request, not once per object.
    """

    def __init__(
        self,
        links: dict[str, str],
        *,
        detail: dict[str, str] | None = None,
        checked_self: bool = False,
        **kwargs,
    ):
        self.links = links
        self.detail = detail or {}
        # An object shown inside another (a note's author) whose own resource the caller may
        # not read: its ``self`` is left out as any other link would be.
        self.checked_self = checked_self
        rels.register_links(links)
        rels.register_links({"self": links.get("self", ""), **self.detail}, detail=True)
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    entity_links = True  # a registered entity's own GET links its relations and history

    def templates(self, obj=None) -> dict[str, str]:
        """The link templates this field renders for ``obj`` (all of them without one)."""
        if in_a_list(self) or self.parent is not self.root:
            return self.links  # an item of a page, or an object shown inside another
        own = {**self.links, **self.detail}
        collection = getattr(type(obj), "entity_collection", None) if obj is not None else None
        if collection and self.links.get("self") == f"{collection}/{{obj.public_id}}":
            request = self.context.get("request")
            if may_read_history(request, obj):
                own.update(ENTITY_LINKS)
        return own

    def to_representation(self, obj):
        request = self.context.get("request")
        root = api_root(request)
        links = {}
        own_path = self.links["self"].format(obj=obj) if "self" in self.links else None
        for rel, template in self.templates(obj).items():
            try:
                path = template.format(obj=obj)
            except AttributeError:
                continue  # an optional parent the object has none of (a unit's vendor)
            # A link to what the caller may not read is left out (no existence oracle); what is
            # under the resource's own path is the resource's, which the caller is reading.
            always = rel == "self" and not self.checked_self
            if always or path.startswith(f"{own_path}/") or may_follow(request, path):
                links[rel] = {"href": root + path}
        return links


class MemberLinksField(HalLinksField):
    """The ``_links`` of a member of a list read with its parent (a batch's technicians, a
    customer's contacts): ``self`` is the member's place in the list
    (``"batches/{parent.public_id}/techs/{obj.public_id}"``), which whoever reads the parent
    may open; ``rel`` leads to the member's own resource, for those who may open that.
    ``parent`` is the view's (``ChildListViewSet.parent``)."""

    entity_links = False  # a member's relations and history are its own resource's

    def __init__(self, member: str, *, rel: str, own: str, **kwargs):
        self.member, self.rel, self.own = member, rel, own
        super().__init__({"self": member, rel: own}, **kwargs)

    def templates(self, obj=None) -> dict[str, str]:
        return {self.rel: self.own}  # what to learn before rendering: the own resources

    def to_representation(self, obj):
        request = self.context.get("request")
        root = api_root(request)
        parent = self.context["view"].parent
        links = {"self": {"href": root + self.member.format(obj=obj, parent=parent)}}
        own = self.own.format(obj=obj)
        if may_follow(request, own):
            links[self.rel] = {"href": root + own}
        return links


# Every registered entity's relations and history (``relations.registry``).
ENTITY_LINKS = {
    "nter:relations": "{obj.entity_collection}/{obj.public_id}/relations",
    "nter:diff": "{obj.entity_collection}/{obj.public_id}/diff",
}
rels.register(
    "nter:relations",
    "In an entity's own GET: its relations to other entities (a page; each relation's `self` "
    "and a link to the other end).",
    "/api/{collection}/{id}/relations",
)
rels.register(
    "nter:diff",
    "In an entity's own GET: its change history (a page of changed properties, newest first; "
    "each change's `self`).",
    "/api/{collection}/{id}/diff",
)


def api_root(request) -> str:
    """Return the absolute URL of the API root (``https://host/api/``), cached on the request."""
    if request is None:
        return reverse("api-root")
    root = getattr(request, "_niagara_api_root", None)
    if root is None:
        root = request.build_absolute_uri(reverse("api-root"))
        request._niagara_api_root = root
    return root


class EmbeddedReferenceField(serializers.Field):
    """A parent entity: written as a reference ``{"customer_id": "…"}``, answered as the
    parent's full embedded object (the docs' shape).

    Only the id of a written reference (and the field's other ``fields``) is read, so a fetched
    object can be PUT back as is: its other keys are ignored, whatever they hold. A reference to
    an entity that does not exist, or that the caller may not view, is a 400 at
    ``.<field>.<id_name>``.
    """

    json_type = "object"

    def __init__(self, *, queryset, id_name: str, embedded, **kwargs):
        self.queryset = queryset
        self.id_name = id_name
        self.embedded = embedded
        self.fields = {id_name: StrictRegexField(ID_PATTERN)}
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid_type")
        if self.id_name not in data:
            raise serializers.ValidationError(
                {self.id_name: [serializers.ErrorDetail("required", code="required")]}
            )
        try:
            public_id = self.fields[self.id_name].run_validation(data[self.id_name])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.id_name: exc.detail}) from exc
        found = self.queryset.filter(public_id=public_id).first()
        if found is None or not self._may_view(found):
            raise serializers.ValidationError(
                {
                    self.id_name: [
                        serializers.ErrorDetail(
                            f'no {self._type_code()} with id "{public_id}"', code="exists"
                        )
                    ]
                }
            )
        return found

    def _type_code(self) -> str:
        model = self.queryset.model
        return getattr(model, "entity_code", model._meta.model_name)

    def _may_view(self, instance) -> bool:
        return may_view(self.context.get("request"), instance)

    @cached_property
    def embedded_serializer(self):
        """The serializer that renders the parent, made once per field (not once per row) and
        bound here, so it shares the request's context."""
        serializer = self.embedded()
        serializer.bind(field_name=self.field_name, parent=self)
        return serializer

    def renders_summaries(self) -> bool:
        """Whether this field answers its parent as a summary (in a list's items)."""
        return len(self.fields) == 1 and in_a_list(self)

    def to_representation(self, value):
        request = self.context.get("request")
        if not may_embed(request, value):
            return None  # the caller may not read the parent: it is not shown
        if self.renders_summaries():
            return summary_of(value, self.id_name, request)
        return render_once(self.embedded_serializer, value)

    default_error_messages = {"invalid_type": wording("type", {"type": "object"})}


def in_a_list(field: serializers.Field) -> bool:
    """Whether ``field`` renders part of an item of a list (its root is a page)."""
    return isinstance(field.root, serializers.ListSerializer)


def summary_of(instance, id_name: str, request) -> dict:
    """A parent as list items embed it: its id, its label and its self link (the item's own
    ``GET`` embeds it whole). A page of 100 batches is ~100 KB, not the 2 MB of a hundred
    work orders with their workflows, projects and customers."""
    summary = {id_name: instance.public_id}
    label = getattr(instance, "label", None)
    if label is not None:
        summary["label"] = label
    href = f"{api_root(request)}{instance.entity_collection}/{instance.public_id}"
    summary["_links"] = {"self": {"href": href}}
    return summary


def id_name_of(serializer: serializers.Serializer) -> str:
    """The name under which ``serializer`` answers its entity's public id (``work_order_id``)."""
    return next(name for name, field in serializer.fields.items() if field.source == "public_id")


def render_once(serializer: serializers.BaseSerializer, instance) -> dict:
    """Return ``serializer``'s representation of ``instance``, made once per response.

    A page of 100 batches of one work order embeds that work order 100 times: it is rendered
    once and shared (the cache lives on the top-level serializer, so for one response).
    """
    root = serializer.root
    cache = getattr(root, "_niagara_rendered", None)
    if cache is None:
        cache = root._niagara_rendered = {}
    key = (type(serializer), instance._meta.label, instance.pk)
    if key not in cache:
        cache[key] = serializer.to_representation(instance)
    return cache[key]


MAX_UTC_OFFSET = datetime.timedelta(hours=14)


class DateTimeField(serializers.DateTimeField):
    """A date-time, answered as ISO 8601 in UTC with ``Z`` (``2026-01-05T00:00:00Z``).

    The same text DRF writes with ``TIME_ZONE = "UTC"``, without looking the current time zone
    up for every value of a page.
    """

    def to_representation(self, value):
        if not isinstance(value, datetime.datetime):
            return super().to_representation(value)
        text = value.astimezone(datetime.UTC).isoformat()
        return text.removesuffix("+00:00") + "Z"


class StrictDateTimeField(DateTimeField):
    """An RFC 3339 date-time string: a date, a time and its UTC offset (``Z`` or ``±hh:mm``,
    within ±14:00, the widest any clock uses). A number is "should be string"; a date alone or
    a time without its offset is refused rather than guessed in the server's zone."""

    json_type = "string"
    default_error_messages = {
        "invalid_type": wording("type", {"type": "string"}),
        "offset": "should be an RFC 3339 date-time with its UTC offset (Z or ±hh:mm, within "
        "±14:00)",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid_type")
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is not None:  # (what is not a date-time at all is DRF's "format" error)
            offset = parsed.utcoffset()
            if offset is None or abs(offset) > MAX_UTC_OFFSET:
                self.fail("offset")
        return super().to_internal_value(value)


# The range of the integer columns behind the API's integer fields (SQL ``integer``).
INT_MAX = 2**31 - 1


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: ``"5"``, ``5.5`` and ``true`` are rejected, ``5.0`` is 5 (JSON Schema's
    integer); at most ``INT_MAX`` unless a lower maximum is given (the column holds no more)."""

    json_type = "integer"
    default_error_messages = {"invalid_type": wording("type", {"type": "integer"})}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", INT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer() and abs(data) <= 2**53:
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid_type")
        return super().to_internal_value(data)


class StrictNumberField(serializers.FloatField):
    """A JSON number (``"5"`` and ``true`` are rejected), answered as written (``42``, not
    ``42.0``, when it is whole)."""

    json_type = "number"
    default_error_messages = {"invalid_type": wording("type", {"type": "number"})}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid_type")
        return super().to_internal_value(data)

    def to_representation(self, value):
        # Whole numbers read as integers, within the range a double holds exactly (JSON
        # encoders refuse integers beyond 64 bits: 9e66 stays a float).
        number = float(value)
        return int(number) if number.is_integer() and abs(number) <= 2**53 else number


class NoteCountSerializer(serializers.Serializer):
    """``note_count``: the entity's notes and issues (from ``niagara.models.note_counts``)."""

    total = serializers.IntegerField(source="notes_total", read_only=True)
    open_issues = serializers.IntegerField(
        source="notes_open_issues", read_only=True, help_text="Issues not closed yet"
    )
    closed_issues = serializers.IntegerField(source="notes_closed_issues", read_only=True)

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean: ``true`` or ``false``, not the strings and numbers DRF also takes."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class EmbeddedEntitiesField(serializers.Field):
    """A resource's ``_embedded`` single objects, each a one-item array as the docs show them
    (``{"nter:work-order-project": [{…}]}``), empty when there is none or the caller may not
    read it. ``entries`` maps a relation to (a dotted path from the object, the serializer
    that renders it); each object is rendered once per response (shared with the fields that
    embed it too)."""

    def __init__(self, entries: dict[str, tuple[str, type]], **kwargs):
        self.entries = entries
        for relation, (path, _serializer_class) in entries.items():
            rels.register_embedded(relation, path, "the resource")
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    @cached_property
    def serializers(self) -> dict[str, serializers.BaseSerializer]:
        made = {}
        for relation, (_path, serializer_class) in self.entries.items():
            serializer = serializer_class()
            serializer.bind(field_name=self.field_name, parent=self)
            made[relation] = serializer
        return made

    def to_representation(self, obj):
        request = self.context.get("request")
        summaries = in_a_list(self)
        embedded = {}
        for relation, (path, _serializer_class) in self.entries.items():
            value = follow_path(obj, path)
            if value is None or not may_embed(request, value):
                embedded[relation] = []
            elif summaries:
                name = self.id_names.setdefault(relation, id_name_of(self.serializers[relation]))
                embedded[relation] = [summary_of(value, name, request)]
            else:
                # Every embedded member carries its self link (the docs' embedded shapes have
                # no ``_links``: added here, not to the shared rendering of the plain field).
                rendered = render_once(self.serializers[relation], value)
                href = f"{api_root(request)}{value.entity_collection}/{value.public_id}"
                embedded[relation] = [{**rendered, "_links": {"self": {"href": href}}}]
        return embedded

    @cached_property
    def id_names(self) -> dict[str, str]:
        return {}


def follow_path(obj, path: str):
    """``obj.a.b.c`` for ``"a.b.c"``, or None where a step is missing."""
    value = obj
    for name in path.split("."):
        value = getattr(value, name, None) if value is not None else None
    return value


class LabelsField(DocumentField):
    """``labels``: optional on writes (a ``PUT`` without it clears them), always answered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(LABELS, **kwargs)
