"""The one vocabulary of validation messages: AJV's, as the Niagara docs print them.

Every ``validation_messages`` item the API answers is built here — from a DRF field error, a
JSON-schema failure of a stored document, a bad query parameter or a malformed body — as
``{keyword, dataPath, schemaPath, params, message}``, with the wording AJV uses
(``"should be string"``, ``"should have required property 'label'"``).
"""

Path = tuple[str | int, ...]


def data_path(path: Path) -> str:
    """Return the AJV ``dataPath`` of a path: ``.allowed_statuses[0].category``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def schema_path(path: Path) -> str:
    """Return a JSON pointer into the request schema for a path."""
    parts = ["#"]
    for part in path:
        parts += ["items"] if isinstance(part, int) else ["properties", str(part)]
    return "/".join(parts)


def wording(keyword: str, params: dict, fallback: str = "") -> str:
    """Return AJV's message for ``keyword`` with ``params``, or ``fallback`` for keywords of our
    own (``subset``, ``exists`` …), whose rule words its own message."""
    match keyword:
        case "type":
            return f"should be {params['type']}"
        case "required":
            return f"should have required property '{params['missingProperty']}'"
        case "additionalProperties":
            return "should NOT have additional properties"
        case "pattern" if "propertyName" in params:
            name, pattern = params["propertyName"], params["pattern"]
            return f'property name "{name}" should match pattern "{pattern}"'
        case "pattern" if "pattern" in params:
            return f'should match pattern "{params["pattern"]}"'
        case "enum":
            return "should be equal to one of the allowed values"
        case "format" if "format" in params:
            return f'should match format "{params["format"]}"'
        case "minItems" if "limit" in params:
            return f"should NOT have fewer than {params['limit']} items"
        case "maxItems" if "limit" in params:
            return f"should NOT have more than {params['limit']} items"
        case "minLength" if "limit" in params:
            return f"should NOT be shorter than {params['limit']} characters"
        case "maxLength" if "limit" in params:
            return f"should NOT be longer than {params['limit']} characters"
        case "minimum" | "maximum" if "limit" in params:
            comparison = params.get("comparison", ">=" if keyword == "minimum" else "<=")
            return f"should be {comparison} {params['limit']}"
        case "uniqueItems" if not fallback:
            return "should NOT have duplicate items"
    return fallback


def entry(
    keyword: str,
    path: Path = (),
    *,
    params: dict | None = None,
    message: str = "",
    schema: str | None = None,
) -> dict:
    """Return one ``validation_messages`` item; ``message`` is the wording for keywords AJV
    does not know, ``schema`` a schema path other than the one ``path`` implies."""
    params = params or {}
    return {
        "keyword": keyword,
        "dataPath": data_path(path),
        "schemaPath": schema if schema is not None else schema_path(path),
        "params": params,
        "message": wording(keyword, params, message) or message,
    }
