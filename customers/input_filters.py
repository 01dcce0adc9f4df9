"""Input filters: the custom fields (``input_filter``) programs, projects, locations, contacts
and work orders carry — each a definition ``{key, label, filters[], validators[], …}``.

The schema restates the docs' ``inputFilter.json`` and its filters/validators, with each ``type``
selecting the schema of its ``options`` so that a problem is reported at its exact path.
"""

from django.db import models

from niagara.jsonschemas import DocumentSchema, DocumentValidator, SchemaError

from .input_values import apply_filters, failed_validators

KEY_PATTERN = r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$"
PRECISION = {"type": "integer", "minimum": 1, "maximum": 8}
CHECK_CASE = {"type": "boolean"}


def _options(required: tuple[str, ...] = (), **properties) -> dict:
    schema = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _list_of(item_type) -> dict:
    return {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": item_type}}


FILTERS = {
    "allowed_list": _options(
        ("approved_values",),
        approved_values=_list_of("string"),
        check_case=CHECK_CASE,
        default={"type": ["string", "null"]},
    ),
    "alpha": _options(),
    "boolean": _options(),
    "camel": _options(),
    "date": _options(),
    "digits": _options(),
    "empty": _options(),
    "float": _options(precision=PRECISION),
    "kebab": _options(),
    "lower": _options(),
    "number": _options(),
    "prefix": _options(("prefix",), prefix={"type": "string"}),
    "snake": _options(),
    "string": _options(),
    "suffix": _options(("suffix",), suffix={"type": "string"}),
    "trim": _options(start={"type": "boolean"}, end={"type": "boolean"}),
    "upper": _options(),
}

_COMPARISON = {"value": {"type": "number"}, "precision": PRECISION, "include": {"type": "boolean"}}

VALIDATORS = {
    "always": _options(),
    "between": _options(
        ("min", "max"),
        min={"type": "number"},
        max={"type": "number"},
        precision=PRECISION,
        include={"type": "boolean"},
    ),
    "black_list": _options(
        ("list",), list=_list_of(["string", "number", "boolean"]), check_case=CHECK_CASE
    ),
    "contains": _options(("contains",), contains={"type": "string"}, check_case=CHECK_CASE),
    "email_address": _options(strict={"type": "boolean"}, lookup={"type": "boolean"}),
    "ends_with": _options(("ends_with",), ends_with={"type": "string"}, check_case=CHECK_CASE),
    "equals": _options(
        ("value",), value={"type": ["number", "string", "boolean"]}, precision=PRECISION
    ),
    "greater_than": _options(("value",), **_COMPARISON),
    "hostname": _options(
        record_type={
            "type": "string",
            "enum": [
                "A",
                "AAAA",
                "AFSDB",
                "APL",
                "CAA",
                "CDNSKEY",
                "CDS",
                "CERT",
                "CNAME",
                "CSYNC",
                "DHCID",
                "DLV",
                "DNAME",
                "DNSKEY",
                "DS",
                "HIP",
                "IPSECKEY",
                "KEY",
                "KX",
                "LOC",
                "MX",
                "NAPTR",
                "NS",
                "NSEC",
                "NSEC3",
                "NSEC3PARAM",
                "OPENPGPKEY",
                "PTR",
                "RRSIG",
                "RP",
                "SIG",
                "SMIMEA",
                "SOA",
                "SRV",
                "SSHFP",
                "TA",
                "TKEY",
                "TLSA",
                "TSIG",
                "TXT",
                "URI",
            ],
        }
    ),
    "ip_address": _options(version={"type": "string", "enum": ["IPv4", "IPv6"]}),
    "length": _options(
        ("length",),
        length={"type": "number"},
        operator={
            "type": "string",
            "enum": [
                "equals",
                "less_than",
                "less_than_equals",
                "greater_than",
                "greater_than_equals",
            ],
        },
    ),
    "less_than": _options(("value",), **_COMPARISON),
    "mac_address": _options(),
    "mask": _options(("mask",), mask={"type": "string", "format": "regex"}),
    "never": _options(),
    "required": _options(),
    "starts_with": _options(
        ("starts_with",), starts_with={"type": "string"}, check_case=CHECK_CASE
    ),
    "step": _options(
        ("step",),
        step={"type": "number", "exclusiveMinimum": 0},
        start={"type": ["number", "null"]},
        end={"type": ["number", "null"]},
    ),
    "uri": _options(
        schemes={
            "type": "array",
            "items": {
                "type": "string",
                "enum": [
                    "http:",
                    "https:",
                    "sip:",
                    "sips:",
                    "ftp:",
                    "ftps:",
                    "ldap:",
                    "ldaps:",
                    "file:",
                    "udp:",
                    "tcp:",
                    "urn:",
                ],
            },
        }
    ),
    "white_list": _options(
        ("list",), list=_list_of(["string", "number", "boolean"]), check_case=CHECK_CASE
    ),
}


def _typed(kinds: dict[str, dict], noun: str) -> dict:
    """Return the schema of one filter/validator: a known ``type`` and that type's options."""
    return {
        "type": "object",
        "description": f"An input {noun}: its type and that type's options",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": sorted(kinds)},
            "options": {"type": "object"},
        },
        "allOf": [
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": {
                    "properties": {"options": options},
                    **({"required": ["options"]} if "required" in options else {}),
                },
            }
            for name, options in kinds.items()
        ],
    }


FIELD_SCHEMA = {
    "type": "object",
    "description": "A custom field definition",
    "additionalProperties": False,
    "required": ["label", "key", "filters", "validators"],
    "properties": {
        "label": {"type": "string", "minLength": 1, "description": "Human readable name"},
        "key": {"type": "string", "pattern": KEY_PATTERN, "description": "Storage key"},
        "filters": {"type": "array", "maxItems": 100, "items": _typed(FILTERS, "filter")},
        "validators": {
            "type": "array",
            "maxItems": 100,
            "items": _typed(VALIDATORS, "validator"),
        },
        "locked": {
            "type": "boolean",
            "description": "Descendants may not change this field's filters or validators",
        },
        "description": {"type": ["string", "null"]},
        "value": {
            "type": ["string", "null"],
            "description": "The field's value, as a string: stored filtered, and it must pass "
            "the validators",
        },
    },
}

INPUT_FILTER_SCHEMA = {
    "type": "array",
    "description": "Custom fields defined for the entity",
    "items": FIELD_SCHEMA,
}


def _unique_keys(fields) -> list[SchemaError]:
    seen: dict[str, int] = {}
    errors = []
    for index, field in enumerate(fields):
        if field["key"] in seen:
            errors.append(
                SchemaError(
                    "uniqueItems",
                    (index, "key"),
                    "#/items/properties/key",
                    f'should be unique: key "{field["key"]}" repeats item {seen[field["key"]] + 1}',
                    {"i": seen[field["key"]], "j": index},
                )
            )
        seen.setdefault(field["key"], index)
    return errors


def _values_pass_their_validators(fields) -> list[SchemaError]:
    """A field's value, once filtered, must pass its validators."""
    errors = []
    for index, field in enumerate(fields):
        if field.get("value") is None:
            continue
        value = apply_filters(field["value"], field["filters"])
        failed = failed_validators(value, field["validators"]) if value is not None else []
        if failed:
            errors.append(
                SchemaError(
                    "validators",
                    (index, "value"),
                    "#/items/properties/value",
                    f'"{value}" fails the {", ".join(failed)} validator'
                    + ("s" if len(failed) > 1 else ""),
                    {"failed": failed},
                )
            )
    return errors


INPUT_FILTER = DocumentSchema(
    INPUT_FILTER_SCHEMA, extra_checks=[_unique_keys, _values_pass_their_validators]
)


def normalize_input_filter(fields: list[dict] | None) -> list[dict]:
    """Return the definitions with every optional key present (``options`` as ``{}``)."""
    return [
        {
            "key": field["key"],
            "label": field["label"],
            "filters": [
                {"type": f["type"], "options": f.get("options", {})} for f in field["filters"]
            ],
            "validators": [
                {"type": v["type"], "options": v.get("options", {})} for v in field["validators"]
            ],
            "locked": field.get("locked", False),
            "description": field.get("description"),
            "value": apply_filters(field.get("value"), field["filters"]),
        }
        for field in fields or []
    ]


def locked_redefinitions(inherited: list[dict], own: list[dict]) -> list[tuple[int, str]]:
    """Return (index, key) of each own field that changes a field locked by an ancestor."""
    locked = {
        field["key"]: (field["filters"], field["validators"])
        for field in inherited
        if field.get("locked")
    }
    return [
        (index, field["key"])
        for index, field in enumerate(own)
        if field["key"] in locked
        and (field.get("filters"), field.get("validators")) != locked[field["key"]]
    ]


def input_filter_field() -> models.JSONField:
    """Return the model field that stores an entity's custom field definitions."""
    return models.JSONField(
        default=list,
        blank=True,
        validators=[DocumentValidator("customers.input_filters.INPUT_FILTER")],
    )
