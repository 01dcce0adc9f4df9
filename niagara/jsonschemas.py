"""JSON-Schema validation for the JSON documents Niagara stores (statuses, platform ids, …).

One schema per document is the single source of truth: the API validates request bodies with it
(reporting AJV-style messages with exact paths), the models validate with it on ``full_clean``
(so the admin and commands get the same rules), and the OpenAPI schema publishes it as is.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from jsonschema import Draft7Validator, FormatChecker

from .validation_messages import Path, wording

REQUIRED_MESSAGE = re.compile(r"^'(.+)' is a required property$")


@dataclass(frozen=True)
class SchemaError:
    """One failure, located by its path inside the validated document."""

    keyword: str
    path: Path
    schema_path: str
    message: str
    params: dict = field(default_factory=dict)

    def where(self) -> str:
        """Return the location for people, e.g. ``item 1 > category`` (items count from 1)."""
        parts = [f"item {p + 1}" if isinstance(p, int) else str(p) for p in self.path]
        return " > ".join(parts)


def _ajv(error) -> SchemaError:
    """Translate a ``jsonschema`` error into the AJV vocabulary the Niagara docs use."""
    keyword = error.validator
    value = error.validator_value
    path: Path = tuple(error.absolute_path)
    schema_path = "#/" + "/".join(str(p) for p in error.absolute_schema_path)
    params: dict = {}
    if keyword == "type":
        params = {"type": ",".join(value if isinstance(value, list) else [value])}
    elif keyword == "required":
        # jsonschema reports each missing property as its own error, named in its message.
        named = REQUIRED_MESSAGE.match(error.message)
        missing = named.group(1) if named else next(p for p in value if p not in error.instance)
        path += (missing,)
        params = {"missingProperty": missing}
    elif keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = next((k for k in error.instance if k not in known), "")
        path += (extra,)
        params = {"additionalProperty": extra}
    elif keyword == "pattern" and "propertyNames" in error.absolute_schema_path:
        params = {"propertyName": error.instance, "pattern": value}
    elif keyword == "pattern":
        params = {"pattern": value}
    elif keyword == "enum":
        params = {"allowedValues": value}
    elif keyword in ("minItems", "maxItems", "minLength", "maxLength"):
        params = {"limit": value}
    elif keyword in ("minimum", "maximum"):
        params = {"comparison": ">=" if keyword == "minimum" else "<=", "limit": value}
    elif keyword == "format":
        params = {"format": value}
    message = wording(keyword, params, error.message)
    return SchemaError(keyword, path, schema_path, message, params)


class DocumentSchema:
    """A JSON schema plus the rules no schema can express, checked together.

    Immutable once built, and shared: copying one (as DRF copies every declared field for every
    serializer it makes) returns the same object instead of re-copying a compiled validator.
    """

    def __init__(
        self, schema: dict, *, extra_checks: Iterable[Callable] = (), published: dict | None = None
    ):
        Draft7Validator.check_schema(schema)
        self.schema = schema
        # What the OpenAPI schema shows: the same language, where ``schema`` says it in a way
        # generators cannot read.
        self.published = published if published is not None else schema
        self._validator = Draft7Validator(schema, format_checker=FormatChecker())
        self._extra_checks = tuple(extra_checks)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def errors(self, document) -> list[SchemaError]:
        """Return the failures in ``document``: at most one per location, outermost first."""
        found: dict[Path, SchemaError] = {}
        for error in sorted(self._validator.iter_errors(document), key=lambda e: e.path):
            failure = _ajv(error)
            found.setdefault(failure.path, failure)
        if not found:
            for check in self._extra_checks:
                for failure in check(document):
                    found.setdefault(failure.path, failure)
        return list(found.values())


@deconstructible
class DocumentValidator:
    """Django field validator: reject a document that fails its ``DocumentSchema``."""

    def __init__(self, schema_path: str):
        # Referenced by dotted path so migrations stay free of the schema's contents.
        self.schema_path = schema_path

    def __call__(self, value):
        from django.utils.module_loading import import_string

        document_schema: DocumentSchema = import_string(self.schema_path)
        errors = document_schema.errors(value)
        if errors:
            raise ValidationError(
                [
                    ValidationError("%(where)s%(message)s", code=e.keyword, params=_p(e))
                    for e in errors
                ]
            )

    def __eq__(self, other):
        return isinstance(other, DocumentValidator) and other.schema_path == self.schema_path


def _p(error: SchemaError) -> dict:
    where = error.where()
    # ``path`` is not worded; it lets a form show the error beside the part it concerns.
    return {"where": f"{where}: " if where else "", "message": error.message, "path": error.path}
