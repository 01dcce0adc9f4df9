"""The JSON documents an action holds, as the docs' schemas define them (``action.json``,
``effect/notify.json``, ``effect/update.json``)."""

from niagara.jsonschemas import DocumentSchema

ID = {"type": "string", "pattern": r"^[0-9A-Za-z_-]{1,64}$"}
ENTITY_TYPE = {"type": "string", "pattern": "^[A-Z]{2,5}$"}
TEXT = {"type": "string", "minLength": 1, "maxLength": 200}

CRITERIA_SCHEMA = {
    "type": "array",
    "maxItems": 10,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["property", "operator"],
        "properties": {
            "property": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,99}$"},
            "operator": {"type": "string", "enum": ["equals", "not_equals", "is_null"]},
            "value": {"type": ["string", "object", "null"], "maxLength": 500},
        },
    },
}
NOTIFY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["effect_type", "options"],
    "properties": {
        "effect_type": {"type": "string", "enum": ["notify"]},
        "options": {
            "type": "object",
            "additionalProperties": False,
            "required": ["contacts", "label", "message", "severity"],
            "properties": {
                "contacts": {"type": "array", "minItems": 1, "maxItems": 10, "items": ID},
                "label": TEXT,
                "message": {"type": "string", "maxLength": 2000},
                "severity": {"type": "string", "enum": ["normal", "issue", "resolved"]},
            },
        },
    },
}
UPDATE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["effect_type", "options"],
    "properties": {
        "effect_type": {"type": "string", "enum": ["update"]},
        "options": {
            "type": "object",
            "additionalProperties": False,
            "required": ["entity", "property", "value"],
            "properties": {
                "entity": ENTITY_TYPE,
                "property": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,99}$"},
                "value": TEXT,
            },
        },
    },
}

# Checked by ``effect_type`` first, so that a problem names the field at fault (a ``oneOf``
# would only say that neither kind matched); published as the ``oneOf`` it amounts to.
_CHECKED_EFFECT = {
    "type": "object",
    "required": ["effect_type"],
    "properties": {"effect_type": {"type": "string", "enum": ["notify", "update"]}},
    "allOf": [
        {"if": {"properties": {"effect_type": {"const": kind}}}, "then": schema}
        for kind, schema in (("notify", NOTIFY_SCHEMA), ("update", UPDATE_SCHEMA))
    ],
}
EFFECT_SCHEMA = {"type": "array", "minItems": 1, "maxItems": 10, "items": _CHECKED_EFFECT}
PUBLISHED_EFFECT = {
    **EFFECT_SCHEMA,
    "items": {"oneOf": [NOTIFY_SCHEMA, UPDATE_SCHEMA]},
}
CRITERIA = DocumentSchema(CRITERIA_SCHEMA)
EFFECT = DocumentSchema(EFFECT_SCHEMA, published=PUBLISHED_EFFECT)
