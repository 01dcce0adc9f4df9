"""The request body parser: JSON, within documented limits of size and nesting."""

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def depth_exceeds(document, limit: int) -> bool:
    """Return whether ``document`` nests arrays/objects deeper than ``limit`` (iteratively:
    no recursion for an attacker to exhaust)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class LimitedJSONParser(JSONParser):
    """JSON bodies up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (larger: 413, raised by Django
    as the body is read) and ``MAX_DEPTH`` levels of nesting (deeper: 400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if "recursion" in str(exc):
                exc = f"nested deeper than {MAX_DEPTH} levels"
            raise ParseError(f"JSON parse error - {exc}") from None
        if depth_exceeds(document, MAX_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels")
        return document
