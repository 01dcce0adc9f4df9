"""Keyset ("cursor") paging with the Niagara envelope.

``offset`` is an opaque, signed token holding the sort key of the last row served, so page 10,000
costs what page 1 costs and rows inserted meanwhile never shift a page. ``total_count`` counts what
the caller sees after filters.
"""

import json

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from niagara.validation_messages import entry

from .exceptions import InvalidData

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
_LINK_SCHEMA = {
    "type": "object",
    "properties": {"href": {"type": "string", "format": "uri"}},
    "required": ["href"],
}


def _query_error(name: str, keyword: str, params: dict, message: str = "") -> InvalidData:
    return InvalidData(
        [entry(keyword, (name,), params=params, message=message)],
        detail=f"Invalid query parameter '{name}'",
    )


def _cursor_error() -> InvalidData:
    return _query_error(
        "offset", "format", {"format": "cursor"}, "should be an offset returned by this list"
    )


class KeysetPagination(BasePagination):
    """Page through ``view.ordering`` (ending in a unique key) with ``limit`` and ``offset``."""

    limit_query_param = "limit"
    offset_query_param = "offset"
    collection = "items"
    # An entity's ``include=`` takes a fixed first page and counts nothing (one query).
    counting = True
    fixed_limit: int | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.fixed_limit or self._limit(request)
        ordering = tuple(view.get_ordering() if view is not None else ("id",))
        if ordering[-1].lstrip("-") not in ("id", "pk"):
            raise ValueError(f"{view.__class__.__name__}.ordering must end with the primary key")
        self.ordering = ordering
        self.salt = f"niagara.cursor:{self.collection}:{','.join(ordering)}"

        self.total_count = queryset.count() if self.counting else None
        cursor = request.query_params.get(self.offset_query_param)
        if cursor:
            queryset = queryset.filter(self._after(queryset.model, self._decode(cursor)))
        rows = list(queryset.order_by(*self._order_by(queryset.model))[: self.limit + 1])
        self.has_next = len(rows) > self.limit
        rows = rows[: self.limit]
        self.next_cursor = self._encode(rows[-1]) if self.has_next else None
        return rows

    def get_paginated_response(self, data):
        self_href = self.request.build_absolute_uri()
        links = {"self": {"href": self_href}}
        if self.next_cursor:
            href = replace_query_param(self_href, self.offset_query_param, self.next_cursor)
            links["next"] = {"href": href}
        return Response(
            {
                "total_count": self.total_count,
                "limit": self.limit,
                "offset": self.next_cursor,
                "_embedded": {f"nter:{self.collection}": data},
                "_links": links,
            }
        )

    def _limit(self, request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return DEFAULT_LIMIT
        try:
            limit = int(raw)
        except ValueError:
            raise _query_error("limit", "type", {"type": "integer"}) from None
        if limit < 1:
            raise _query_error("limit", "minimum", {"comparison": ">=", "limit": 1})
        if limit > MAX_LIMIT:
            raise _query_error("limit", "maximum", {"comparison": "<=", "limit": MAX_LIMIT})
        return limit

    def _encode(self, row) -> str:
        """Return the cursor after ``row`` (a model instance, or a dict from ``.values()``)."""
        read = row.__getitem__ if isinstance(row, dict) else row.__getattribute__
        values = [read(name.lstrip("-")) for name in self.ordering]
        payload = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
        return signing.dumps(payload, salt=self.salt, compress=True)

    def _decode(self, cursor: str) -> list:
        try:
            values = signing.loads(cursor, salt=self.salt)
        except signing.BadSignature:
            values = None
        if not isinstance(values, list) or len(values) != len(self.ordering):
            raise _cursor_error()
        return values

    def _order_by(self, model) -> list:
        """The page order; a column that may be empty sorts its empty rows last, whichever
        the direction (a work order without a due date comes after every dated one)."""
        order = []
        for name in self.ordering:
            field_name = name.lstrip("-")
            field = model._meta.get_field("id" if field_name == "pk" else field_name)
            if getattr(field, "null", False):
                column = F(field_name)
                order.append(
                    column.desc(nulls_last=True)
                    if name.startswith("-")
                    else column.asc(nulls_last=True)
                )
            else:
                order.append(name)
        return order

    def _after(self, model, values: list) -> Q:
        """Return the condition "sorts after ``values``" for a lexicographic multi-key order
        (empty values last, as ``_order_by`` sorts them)."""
        keys = []
        for name, raw in zip(self.ordering, values, strict=True):
            field_name = name.lstrip("-")
            field = model._meta.get_field("id" if field_name == "pk" else field_name)
            try:
                value = (
                    None if raw is None or isinstance(raw, dict | list) else field.to_python(raw)
                )
            except ValidationError:
                value = None
            if value is None and not (raw is None and field.null):
                # Only a cursor signed with this server's key gets here: still a client error.
                raise _cursor_error()
            keys.append((field_name, name.startswith("-"), value, field.null))
        condition = Q(pk__in=[])
        for index, (name, descending, value, nullable) in enumerate(keys):
            if value is None:
                continue  # nothing sorts after an empty value but the next keys decide
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if nullable:
                step |= Q(**{f"{name}__isnull": True})
            for earlier, _, earlier_value, _ in keys[:index]:
                step &= (
                    Q(**{f"{earlier}__isnull": True})
                    if earlier_value is None
                    else Q(**{earlier: earlier_value})
                )
            condition |= step
        return condition

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": "How many items to return at one time (1-100, default 25)",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 25},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "Continue from the `offset` returned by the previous page",
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["total_count", "limit", "offset", "_embedded", "_links"],
            "properties": {
                "total_count": {"type": "integer", "readOnly": True},
                "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                "offset": {
                    "type": ["string", "null"],
                    "description": "Cursor of the next page; null on the last page",
                },
                "_embedded": {
                    "type": "object",
                    "required": [f"nter:{self.collection}"],
                    "properties": {f"nter:{self.collection}": schema},
                },
                "_links": {
                    "type": "object",
                    "required": ["self"],
                    "properties": {"self": _LINK_SCHEMA, "next": _LINK_SCHEMA},
                },
            },
        }
