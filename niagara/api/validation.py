"""Turn validation failures into the AJV-style ``validation_messages`` of the Niagara docs.

Each entry is ``{keyword, dataPath, schemaPath, params, message}``. DRF reports errors as nested
dicts/lists of ``ErrorDetail`` with a ``code``; the code names the JSON-schema keyword that failed
and the serializer field at that path supplies the keyword's parameters.
"""

from collections.abc import Iterator

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import DictField
from rest_framework.settings import api_settings

# DRF's own error codes, mapped to the JSON-schema keyword they stand for.
KEYWORD_FOR_CODE = {
    "required": "required",
    "null": "type",
    "invalid": "type",
    "not_a_list": "type",
    "not_a_dict": "type",
    "blank": "minLength",
    "min_length": "minLength",
    "max_length": "maxLength",
    "empty": "minItems",
    "invalid_choice": "enum",
    "min_value": "minimum",
    "max_value": "maximum",
    "max_string_length": "maximum",
    "max_digits": "maximum",
    "unique": "uniqueItems",
    "invalid_type": "type",
}

Path = tuple[str | int, ...]


def json_type(field: serializers.Field | None) -> str:
    """Return the JSON-schema type a field expects."""
    if field is None:
        return "object"
    declared = getattr(field, "json_type", None)
    if declared:
        return declared
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        return "array"
    if isinstance(field, serializers.BaseSerializer | serializers.DictField):
        return "object"
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.IntegerField):
        return "integer"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return "number"
    return "string"


def data_path(path: Path) -> str:
    """Return the AJV ``dataPath`` of a path: ``.allowed_statuses[0].category``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def schema_path(path: Path) -> str:
    """Return a JSON pointer into the request schema for a path."""
    parts = ["#"]
    for part in path:
        parts += ["items"] if isinstance(part, int) else ["properties", str(part)]
    return "/".join(parts)


def _field_keyword(field, code: str) -> str:
    """Return the keyword for ``code`` on ``field``; regex and e-mail fields report their own."""
    if code == "invalid":
        if isinstance(field, serializers.EmailField):
            return "format"
        if isinstance(field, serializers.RegexField):
            return "pattern"
        if isinstance(field, serializers.DateTimeField | serializers.DateField):
            return "format"
    if code in ("min_length", "max_length") and json_type(field) == "array":
        return "minItems" if code == "min_length" else "maxItems"
    return KEYWORD_FOR_CODE.get(code, code)


def _params(keyword: str, field, path: Path) -> dict:
    name = path[-1] if path else ""
    if keyword == "type":
        return {"type": json_type(field)}
    if keyword == "required":
        return {"missingProperty": name}
    if keyword == "additionalProperties":
        return {"additionalProperty": name}
    if keyword == "pattern":
        regex = getattr(field, "pattern", None) or _regex_of(field)
        return {"pattern": regex} if regex else {}
    if keyword == "enum":
        return {"allowedValues": list(getattr(field, "choices", {}))}
    if keyword == "format":
        return {"format": "email" if isinstance(field, serializers.EmailField) else "date-time"}
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        attr = {"minLength": "min_length", "maxLength": "max_length"}.get(keyword)
        limit = getattr(field, attr, None) if attr else None
        if keyword == "minItems":
            limit = getattr(field, "min_length", None) or 1
        return {"limit": limit if limit is not None else 1}
    if keyword in ("minimum", "maximum"):
        limit = getattr(field, "min_value" if keyword == "minimum" else "max_value", None)
        return {"limit": limit} if limit is not None else {}
    return {}


def _regex_of(field) -> str | None:
    for validator in getattr(field, "validators", []):
        regex = getattr(validator, "regex", None)
        if regex is not None:
            return regex.pattern
    return None


def _message(keyword: str, params: dict, text: str) -> str:
    """Return the AJV wording for the keyword, or the validator's own text."""
    match keyword:
        case "type":
            return f"should be {params['type']}"
        case "required":
            return f"should have required property '{params['missingProperty']}'"
        case "additionalProperties":
            return "should NOT have additional properties"
        case "pattern" if "pattern" in params:
            return f'should match pattern "{params["pattern"]}"'
        case "enum":
            return "should be equal to one of the allowed values"
        case "format":
            return f'should match format "{params["format"]}"'
        case "minItems":
            return f"should NOT have fewer than {params['limit']} items"
        case "minLength":
            return f"should NOT be shorter than {params['limit']} characters"
        case "maxLength":
            return f"should NOT be longer than {params['limit']} characters"
    return str(text)


def _child(field, key):
    """Return the field that validates ``key`` inside ``field`` (None when unknown)."""
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        return field.child
    if isinstance(field, serializers.DictField):
        return field.child
    fields = getattr(field, "fields", None)
    if isinstance(fields, dict) or isinstance(field, serializers.Serializer):
        return fields.get(key)
    return None


def _at(data, key):
    """Return the raw input found at ``key`` inside ``data`` (None when absent)."""
    if isinstance(data, dict):
        return data.get(key)
    if isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
        return data[key]
    return None


def _failed_its_schema(errors) -> bool:
    """Whether a document field's errors come from its own schema (not "required", not a
    rule checked after it)."""
    codes = {getattr(e, "code", None) for e in errors} if isinstance(errors, list) else set()
    return "document" in codes


def _walk(errors, field, path: Path, data) -> Iterator[dict]:
    if hasattr(field, "document_schema") and _failed_its_schema(errors):
        # A JSON document field: report its schema's own failures with their full paths.
        for failure in field.document_schema.errors(data):
            full = (*path, *failure.path)
            yield {
                "keyword": failure.keyword,
                "dataPath": data_path(full),
                "schemaPath": schema_path(path) + failure.schema_path.removeprefix("#"),
                "params": failure.params,
                "message": failure.message,
            }
        return
    if isinstance(errors, dict):
        for key, sub in errors.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                yield from _walk(sub, field, path, data)
                continue
            index = key
            if isinstance(key, str) and key.isdigit() and not isinstance(field, DictField):
                index = int(key)
            yield from _walk(sub, _child(field, key), (*path, index), _at(data, index))
    elif isinstance(errors, list):
        leaves = [e for e in errors if not isinstance(e, dict | list)]
        if leaves:
            # One entry per failing field: the first failure is the one to fix first.
            yield _entry(leaves[0], field, path)
        for index, sub in enumerate(errors):
            if isinstance(sub, dict | list) and sub:
                yield from _walk(sub, _child(field, index), (*path, index), _at(data, index))
    else:
        yield _entry(errors, field, path)


def _entry(detail, field, path: Path) -> dict:
    code = getattr(detail, "code", None) or "invalid"
    keyword = _field_keyword(field, code)
    params = _params(keyword, field, path)
    return {
        "keyword": keyword,
        "dataPath": data_path(path),
        "schemaPath": schema_path(path),
        "params": params,
        "message": _message(keyword, params, str(detail)),
    }


def messages_from_serializer_errors(errors, serializer) -> list[dict]:
    """Return validation messages for a DRF ``serializer.errors`` structure."""
    return list(_walk(errors, serializer, (), getattr(serializer, "initial_data", None)))


def messages_from_django_error(exc: DjangoValidationError) -> list[dict]:
    """Return validation messages for a model-level ``ValidationError`` (``full_clean``)."""
    entries = []
    error_dict = (
        exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    )
    for name, errors in error_dict.items():
        path: Path = () if name == NON_FIELD_ERRORS else (name,)
        texts = [str(e.message % e.params if e.params else e.message) for e in errors]
        # Domain validators name their JSON-schema keyword in the code ("uniqueItems", …);
        # several failures of one field are one entry, so each field appears once.
        entries.append(
            {
                "keyword": errors[0].code or "invalid",
                "dataPath": data_path(path),
                "schemaPath": schema_path(path),
                "params": {},
                "message": "; ".join(texts),
            }
        )
    return entries
