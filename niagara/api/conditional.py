"""Conditional requests (RFC 9110 §13): a strong ``ETag`` on every entity representation,
``If-Match`` on writes (a stale one is a 412 and changes nothing), ``If-None-Match`` on reads
(304).

The tag is a digest of the entity's HAL JSON, so it changes whenever anything the client sees
changes (counters included), and two servers agree on it. A write that sends ``If-Match`` is
checked against the entity re-read *under the write lock* taken by the view, so two clients
holding one tag can never both succeed: the second gets 412.
"""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.http import parse_etags

from niagara.errors import InvalidData, NiagaraError
from niagara.validation_messages import entry

from .renderers import HalJSONRenderer

WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
_renderer = HalJSONRenderer()


class PreconditionFailed(NiagaraError):
    status_code = 412

    def __init__(self, current: str):
        self.extra = {"etag": current}
        super().__init__(
            "The resource changed since you read it (If-Match does not match its current "
            "ETag): read it again, re-apply your change and retry"
        )


def etag_of(representation: dict) -> str:
    """Return the strong entity tag of a representation."""
    digest = hashlib.blake2b(_renderer.render(representation), digest_size=16).hexdigest()
    return f'"{digest}"'


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def check_entity_tags(name: str, header: str | None) -> list[str]:
    """Return the tags of an ``If-Match``/``If-None-Match`` header; one that lists none
    (empty, unquoted) is a 400."""
    if header is None:
        return []
    tags = parse_etags(header)
    if not tags:
        raise InvalidData(
            [entry("format", (name,), params={"format": "entity-tag"})],
            detail=f'Invalid {name} header: "*" or entity tags such as "3f9a…", quoted',
        )
    return tags


def if_match_fails(header: str | None, current: str) -> bool:
    """Strong comparison: ``*`` or the very tag (a weak tag never matches)."""
    if header is None:
        return False
    tags = check_entity_tags("If-Match", header)
    return "*" not in tags and current not in tags


def if_none_match_hits(header: str | None, current: str) -> bool:
    """Weak comparison, as RFC 9110 §13.1.2 says for ``If-None-Match`` (a value that lists no
    tag matches nothing: the entity is answered)."""
    if header is None:
        return False
    tags = parse_etags(header)
    return "*" in tags or _opaque(current) in {_opaque(tag) for tag in tags}


def not_modified(etag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response
