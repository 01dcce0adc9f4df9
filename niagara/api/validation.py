"""Turn validation failures into the AJV-style ``validation_messages`` of the Niagara docs.

Each entry is ``{keyword, dataPath, schemaPath, params, message}``. DRF reports errors as nested
dicts/lists of ``ErrorDetail`` with a ``code``; the code names the JSON-schema keyword that failed
and the serializer field at that path supplies the keyword's parameters.
"""

from collections.abc import Iterator

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import DictField
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnList

from niagara.jsonschemas import SchemaError
from niagara.validation_messages import Path, entry, schema_path

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
    "null_characters_not_allowed": "pattern",  # text holds no NUL (the published pattern)
    "control_characters_not_allowed": "pattern",  # nor any control character (niagara.text)
}


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


class DocumentFailures:
    """The schema failures of one JSON document field, carried with its errors to the walk."""

    def __init__(self, failures: list[SchemaError]):
        self.failures = failures


def document_error(failures: list[SchemaError]) -> serializers.ValidationError:
    """Return the error a document field raises for the failures its schema found.

    DRF keeps a ``ReturnList`` and its ``serializer`` attribute through every level of a
    serializer's errors, so the failures (with their paths inside the document) reach the walk
    as found: the document is validated once.
    """
    texts = [ErrorDetail(failure.message, code="document") for failure in failures]
    return serializers.ValidationError(ReturnList(texts, serializer=DocumentFailures(failures)))


def _walk(errors, field, path: Path, data) -> Iterator[dict]:
    if isinstance(errors, ReturnList) and isinstance(errors.serializer, DocumentFailures):
        # A JSON document field: its schema's own failures, at their full paths.
        for failure in errors.serializer.failures:
            yield entry(
                failure.keyword,
                (*path, *failure.path),
                params=failure.params,
                message=failure.message,
                schema=schema_path(path) + failure.schema_path.removeprefix("#"),
            )
        return
    if isinstance(errors, dict):
        for key, sub in errors.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                yield from _walk(sub, field, path, data)
                continue
            index = key
            # ``"²".isdigit()`` is true, yet no index: only ASCII digits are list positions.
            is_index = isinstance(key, str) and key.isascii() and key.isdigit()
            if is_index and not isinstance(field, DictField):
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
    return entry(keyword, path, params=_params(keyword, field, path), message=str(detail))


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
        entries.append(entry(errors[0].code or "invalid", path, message="; ".join(texts)))
    return entries
