"""The request body parser: JSON, within documented limits of size and nesting."""

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from niagara.text import control_character_in

MAX_DEPTH = 32


def first_problem(document, limit: int = MAX_DEPTH, *, text: bool = True) -> str | None:
    """Return what makes ``document`` unacceptable, if anything: nesting deeper than ``limit``
    or (``text``) a control character in a string or key (``niagara.text``: tab, line feed and
    carriage return are fine). Walked iteratively: no recursion for an attacker to exhaust."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            character = control_character_in(value) if text else None
            if character:
                return f"strings may not contain control characters (found {character})"
            continue
        if isinstance(value, dict):
            character = next(filter(None, map(control_character_in, value)), None) if text else None
            if character:
                return f"keys may not contain control characters (found {character})"
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return f"nested deeper than {limit} levels"
        stack.extend(
            (child, depth + 1) for child in children if isinstance(child, dict | list | str)
        )
    return None


class LimitedJSONParser(JSONParser):
    """JSON bodies up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (larger: 413, raised by Django
    as the body is read) and ``MAX_DEPTH`` levels of nesting (else 400).

    Control characters are refused where a value is read (text fields, stored documents), not
    here: what the API ignores (read-only keys sent back, a reference's other keys) may hold
    anything.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if "recursion" in str(exc):
                exc = f"nested deeper than {MAX_DEPTH} levels"
            raise ParseError(f"JSON parse error - {exc}") from None
        problem = first_problem(document, MAX_DEPTH, text=False)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return document


def json_parser_for(media_type: str) -> type[LimitedJSONParser]:
    """A ``LimitedJSONParser`` for another JSON media type a resource documents
    (``application/multi-batch+json``…)."""
    return type("MediaTypeJSONParser", (LimitedJSONParser,), {"media_type": media_type})


# HAL clients send what they read: a body as ``application/hal+json`` is JSON like any other.
HalJSONParser = json_parser_for("application/hal+json")
