"""Workflow definitions: the step schema (restated from the docs' ``workFlow/steps``) and the
graph rules no schema can say."""

from collections import deque

from niagara.jsonschemas import DocumentSchema, SchemaError

STEP_KEY_PATTERN = r"^[a-z][a-z-]+[a-z]$"
STEP_TYPES = ["load", "choice", "function", "machine", "pass", "fail", "success", "user", "wait"]
APPLIES_TO = ["UNIT", "PART", "PGM", "PRJ", "CUS", "CON"]
EVENT_ENTITIES = [
    "CON",
    "CUS",
    "LOC",
    "NOTE",
    "PART",
    "PGM",
    "PRJ",
    "RES",
    "SRES",
    "UNIT",
    "USER",
    "WKF",
    "WOR",
]
EVENT_ACTIONS = ["attached", "created", "deleted", "detached", "removed", "updated"]
ENTITY_EVENTS = [f"{entity}.{action}" for entity in EVENT_ENTITIES for action in EVENT_ACTIONS]

STEP_REF = {"type": "string", "pattern": STEP_KEY_PATTERN}
ACTIONS = {
    "type": "array",
    "maxItems": 10,
    "items": {
        "type": "object",
        "required": ["function"],
        "properties": {"function": {"type": "string"}, "options": {"type": "object"}},
        "additionalProperties": False,
    },
}
ON_FAILURE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "retry": {"type": "integer", "minimum": 0, "maximum": 10},
        "finally": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"actions": ACTIONS},
        },
    },
}
CONTEXT_VALUES = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["key", "value"],
        "properties": {
            "key": {"type": "string"},
            "value": {"type": "string"},
            "lock": {"type": "boolean"},
            "ignore": {"type": "boolean"},
        },
    },
}

COMMON_PROPERTIES = {
    "step_type": {"type": "string", "enum": STEP_TYPES},
    "type": {"type": "string", "enum": STEP_TYPES},
    "label": {"type": "string", "minLength": 1},
    "on_start": ACTIONS,
    "on_complete": ACTIONS,
    "options": {"type": "object"},
    "goto": STEP_REF,
    "goto-fail": STEP_REF,
    "context": CONTEXT_VALUES,
    "on_error": ON_FAILURE,
    "on_timeout": ON_FAILURE,
    "decision": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["variable", "operator", "operand"],
            "properties": {
                "variable": {"type": "string"},
                "operator": {
                    "type": "string",
                    "enum": [
                        "greater_than_equals",
                        "less_than_equals",
                        "greater_than",
                        "less_than",
                        "equals",
                        "not_equals",
                    ],
                },
                "operand": {"type": "string"},
            },
        },
    },
    "time": {"type": "integer", "minimum": 1, "maximum": 900},
    "stop_at": {"type": "integer", "minimum": 1, "maximum": 900},
    "listen_for": {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["event"],
            "properties": {
                "event": {"type": "string", "enum": ENTITY_EVENTS},
                "event_value": {"type": "string"},
            },
        },
    },
}


def _options(key: str, values: list[str]) -> dict:
    return {
        "required": ["options"],
        "properties": {
            "options": {
                "type": "object",
                "required": [key, "payload"],
                "properties": {
                    key: {"type": "string", "enum": values},
                    "payload": {"type": "object"},
                },
            }
        },
    }


# What each type requires beyond the common properties.
TYPE_RULES = {
    # The docs' prose says allocate-unit-to-project, their schemas allocate-units-…: both.
    "function": _options(
        "function",
        [
            "allocate-unit-to-project",
            "allocate-units-to-project",
            "set-entity-status",
            "set-entity-location",
        ],
    ),
    "user": _options("component", ["follow-pdf-instructions", "manual-data-entry", "task-list"]),
    "machine": {
        "required": ["options"],
        "properties": {
            "options": {
                "type": "object",
                "required": ["application", "configuration"],
                "properties": {
                    "application": {"type": "object"},
                    "configuration": {"type": "object"},
                },
            }
        },
    },
    "choice": {"required": ["decision"]},
    "wait": {
        "anyOf": [{"required": ["time"]}, {"required": ["stop_at"]}, {"required": ["listen_for"]}]
    },
}


def _type_is(name: str) -> dict:
    return {
        "anyOf": [
            {"required": ["step_type"], "properties": {"step_type": {"const": name}}},
            {"required": ["type"], "properties": {"type": {"const": name}}},
        ]
    }


STEP_SCHEMA = {
    "type": "object",
    "description": "A step: its type (`step_type`, or `type` as the schemas write it), label and "
    "the options of that type. Every step but success and fail names its `goto`.",
    "additionalProperties": False,
    "required": ["label"],
    "properties": COMMON_PROPERTIES,
    "allOf": [
        {"anyOf": [{"required": ["step_type"]}, {"required": ["type"]}]},
        *[{"if": _type_is(name), "then": rules} for name, rules in TYPE_RULES.items()],
        {
            "if": {"not": {"anyOf": [_type_is("success"), _type_is("fail")]}},
            "then": {"required": ["goto"]},
        },
    ],
}

STEPS_SCHEMA = {
    "type": "object",
    "description": "The steps, by slug",
    "minProperties": 1,
    "propertyNames": {"pattern": STEP_KEY_PATTERN},
    "additionalProperties": STEP_SCHEMA,
}


def _named(name: str) -> dict:
    # Whichever of the two type keys a step writes names this type, and the other agrees.
    both = {"step_type": {"const": name}, "type": {"const": name}}
    return {
        "anyOf": [
            {"required": ["step_type"], "properties": both},
            {"required": ["type"], "properties": both},
        ]
    }


def _step_of_type(name: str) -> dict:
    rules = [_named(name), TYPE_RULES.get(name)]
    if name not in ("success", "fail"):
        rules.append({"required": ["goto"]})
    return {"allOf": [rule for rule in rules if rule]}


# The same language written as a union of step types, for the published OpenAPI schema: what
# request generators (and code generators) can read, where ``if``/``then`` and their negations
# are not. The server validates with ``STEP_SCHEMA``, whose errors name the rule a step broke; a
# test holds the two to the same verdicts.
PUBLISHED_STEPS_SCHEMA = {
    **STEPS_SCHEMA,
    "additionalProperties": {
        **{key: value for key, value in STEP_SCHEMA.items() if key != "allOf"},
        "anyOf": [_step_of_type(name) for name in STEP_TYPES],
    },
}


def step_type(step: dict) -> str:
    return step.get("step_type") or step.get("type")


def _agreeing_types(steps: dict) -> list[SchemaError]:
    return [
        SchemaError(
            "const",
            (key, "type"),
            "#/additionalProperties/properties/type",
            f'should equal step_type "{step["step_type"]}"',
        )
        for key, step in steps.items()
        if "step_type" in step and "type" in step and step["type"] != step["step_type"]
    ]


def _targets_exist(steps: dict) -> list[SchemaError]:
    return [
        SchemaError(
            "exists",
            (key, edge),
            f"#/additionalProperties/properties/{edge}",
            f'names no step: "{step[edge]}"',
        )
        for key, step in steps.items()
        for edge in ("goto", "goto-fail")
        if edge in step and step[edge] not in steps
    ]


STEPS = DocumentSchema(
    STEPS_SCHEMA,
    extra_checks=[_agreeing_types, _targets_exist],
    published=PUBLISHED_STEPS_SCHEMA,
)


def reachable(steps: dict, starts_at: str) -> set[str]:
    """Return the steps a run starting at ``starts_at`` can reach by ``goto``/``goto-fail``."""
    seen, queue = set(), deque([starts_at])
    while queue:
        key = queue.popleft()
        if key in seen or key not in steps:
            continue
        seen.add(key)
        queue.extend(steps[key][edge] for edge in ("goto", "goto-fail") if edge in steps[key])
    return seen


def graph_errors(steps: dict, starts_at: str) -> dict[str, list[tuple[str | None, str]]]:
    """Return the graph problems of a schema-valid definition, by field, each with the step it
    concerns (``None`` when it concerns the whole graph).

    ``starts_at`` must name a step; a success step must be reachable; every step must be
    reachable, except fail steps (a run also ends in them after errors and timeouts).
    """
    if starts_at not in steps:
        return {"starts_at": [(None, f'names no step: "{starts_at}"')]}
    seen = reachable(steps, starts_at)
    errors: list[tuple[str | None, str]] = []
    if not any(step_type(steps[key]) == "success" for key in seen):
        errors.append((None, f'no success step can be reached from "{starts_at}"'))
    errors += [
        (key, f'step "{key}" cannot be reached from "{starts_at}"')
        for key, step in steps.items()
        if key not in seen and step_type(step) != "fail"
    ]
    return {"steps": errors} if errors else {}


def normalize_steps(steps: dict) -> dict:
    """Return the steps in the docs' example shape: the type as ``step_type``, and
    ``on_start``/``on_complete`` always present."""
    normalized = {}
    for key, step in steps.items():
        step = dict(step)
        kind = step.pop("type", None)
        step.setdefault("step_type", kind)
        step.setdefault("on_start", [])
        step.setdefault("on_complete", [])
        normalized[key] = {"step_type": step.pop("step_type"), **step}
    return normalized


def flow_of(steps: dict, starts_at: str) -> list[dict]:
    """The steps in the order a device meets them — from ``starts_at``, each step's next
    before its failure target, then any step nothing reaches — each with the labels of where
    it goes next and on failure, and whether it is a QC step."""
    steps = steps if isinstance(steps, dict) else {}

    def label(key):
        step = steps.get(key)
        return step.get("label", key) if isinstance(step, dict) else key

    order, queue = [], [starts_at] if starts_at in steps else []
    while queue:
        key = queue.pop(0)
        if key in order or key not in steps or not isinstance(steps[key], dict):
            continue
        order.append(key)
        queue += [steps[key].get("goto"), steps[key].get("goto-fail")]
    order += [key for key in steps if key not in order and isinstance(steps[key], dict)]
    flow = []
    for key in order:
        step = steps[key]
        options = step.get("options") if isinstance(step.get("options"), dict) else {}
        payload = options.get("payload") if isinstance(options.get("payload"), dict) else {}
        flow.append(
            {
                "key": key,
                "label": step.get("label", key),
                "next": label(step["goto"]) if step.get("goto") else "",
                "on_failure": label(step["goto-fail"]) if step.get("goto-fail") else "",
                "qc": bool(options.get("is_qc") or payload.get("is_qc")),
            }
        )
    return flow
