"""HAL+JSON rendering and a content negotiation that never answers 406 to a JSON client."""

import json

import orjson
from django.utils.encoding import force_str
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


def _fallback(value):
    """Encode what orjson does not know natively: lazy translations, decimals, …"""
    return force_str(value) if not isinstance(value, int | float) else value


class HalJSONRenderer(JSONRenderer):
    """HAL+JSON, encoded with orjson (several times faster than ``json`` on a full page)."""

    media_type = "application/hal+json"
    format = "json"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return dumps(data)


def dumps(data, *, sort_keys: bool = False) -> bytes:
    """Encode JSON compactly: orjson, or the standard library for what orjson refuses (an
    integer beyond 64 bits, which JSON allows and a client may have stored)."""
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(data, default=_fallback, option=option)
    except TypeError:
        text = json.dumps(
            data, default=_fallback, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys
        )
        return text.encode()


class HalContentNegotiation(DefaultContentNegotiation):
    """Serve HAL to any client that does not ask for the browsable API.

    A client sending ``Accept: application/json`` gets HAL (which is JSON) instead of a 406.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
