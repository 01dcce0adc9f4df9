"""OpenAPI generation: HAL bodies, the Niagara status codes and RFC 7807 problem responses."""

import copy
import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema

from niagara.text import CONTROL_CHARACTERS as CONTROL
from niagara.text import TEXT_PATTERN

from .exceptions import PROBLEM_MEDIA_TYPE, TITLES
from .fields import ENTITY_LINKS, ID_PATTERN, WHITE_SPACE, id_name_of
from .includes import INCLUDED_ITEMS, include_parameter
from .requestor import REQUESTOR_ID

LINK_SCHEMA = {
    "type": "object",
    "properties": {"href": {"type": "string", "format": "uri"}},
    "required": ["href"],
}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 7807 problem details",
    "required": ["title", "type", "status", "detail"],
    "properties": {
        "title": {"type": "string"},
        "type": {"type": "string", "format": "uri"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}

VALIDATION_MESSAGE_SCHEMA = {
    "type": "object",
    "required": ["keyword", "dataPath", "schemaPath", "params", "message"],
    "properties": {
        "keyword": {"type": "string", "example": "type"},
        "dataPath": {"type": "string", "example": ".allowed_statuses[0].category"},
        "schemaPath": {"type": "string"},
        "params": {"type": "object", "additionalProperties": True},
        "message": {"type": "string", "example": "should be string"},
    },
}

VALIDATION_PROBLEM_SCHEMA = {
    **PROBLEM_SCHEMA,
    "required": [*PROBLEM_SCHEMA["required"], "validation_messages"],
    "properties": {
        **PROBLEM_SCHEMA["properties"],
        "validation_messages": {"type": "array", "items": VALIDATION_MESSAGE_SCHEMA},
    },
}

DESCRIPTIONS = {
    400: "Invalid data: `validation_messages` lists each failing field",
    401: "Missing or invalid bearer token",
    403: "The caller lacks the permission",
    404: "Resource not found",
    409: "A similar resource exists",
    304: "Not modified: the entity still has the ETag sent in `If-None-Match`",
    412: "Precondition failed: `If-Match` does not match the entity's current ETag (the body's "
    "`etag` member gives it); nothing was changed",
    413: "The body is larger than the server accepts (2.5 MB by default)",
    415: "The body is not JSON",
    422: "This `Idempotency-Key` was used for a different request in the last 24 hours",
    423: "Locked: the resource still has dependents or in-flight work",
    429: "Too many requests; retry after the `Retry-After` header",
    500: "Unexpected error (logged; no internals are disclosed)",
    503: "The database did not answer (a restart, a failover): retry after the `Retry-After` "
    "header; nothing was changed",
}


class HalLinksFieldExtension(OpenApiSerializerFieldExtension):
    """Describe a ``HalLinksField`` as the object of the link relations it renders."""

    target_class = "niagara.api.fields.HalLinksField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        properties = {rel: LINK_SCHEMA for rel in field.links}
        # In a resource's own GET only: its sub-resources, relations and history.
        model = getattr(getattr(field.parent, "Meta", None), "model", None)
        entity = field.entity_links and hasattr(model, "entity_collection")
        detail = {**field.detail, **(ENTITY_LINKS if entity else {})}
        for rel in detail:
            properties[rel] = {**LINK_SCHEMA, "description": "In the resource's own GET"}
        # Links a field adds by rules of its own (a file's upload URL), each with its rule.
        for rel, description in getattr(field, "conditional_links", {}).items():
            properties[rel] = {**LINK_SCHEMA, "description": description}
        return {
            "type": "object",
            "readOnly": True,
            # Links to what the caller may not read are left out: only ``self`` is always there.
            "required": ["self"] if "self" in field.links and not field.checked_self else [],
            "properties": properties,
        }


class EmbeddedEntitiesFieldExtension(OpenApiSerializerFieldExtension):
    """Describe ``_embedded``: each relation an array of at most one object of its kind."""

    target_class = "niagara.api.fields.EmbeddedEntitiesField"

    def map_serializer_field(self, auto_schema, direction):
        properties = {}
        for relation, (_path, serializer_class) in self.target.entries.items():
            component = auto_schema.resolve_serializer(serializer_class, direction)
            id_name = id_name_of(serializer_class())
            with_self = {
                "allOf": [
                    component.ref,
                    {
                        "required": ["_links"],
                        "properties": {
                            "_links": {
                                "type": "object",
                                "required": ["self"],
                                "properties": {"self": LINK_SCHEMA},
                            }
                        },
                    },
                ]
            }
            properties[relation] = {
                "type": "array",
                "maxItems": 1,
                "items": {"anyOf": [with_self, summary_schema(id_name)]},
            }
        return {
            "type": "object",
            "readOnly": True,
            "required": list(properties),
            "properties": properties,
        }


# Date-times end in Z or a UTC offset no clock exceeds (±14:00).
UTC_OFFSET_PATTERN = r"(Z|z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)$"

ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "Strong entity tag of the representation; send it back in `If-Match` to "
        "write only if nobody changed the entity meanwhile, or in `If-None-Match` to read it "
        "only if it changed",
    }
}
ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'
IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=ENTITY_TAGS,
    description="Apply only if the entity's current ETag is one of these (or `*`); otherwise "
    "412. Without it, the last writer wins.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=r"^[\x21-\x7e]{1,255}$",
    description="Any unique string (a UUID, say). A retry with the same key and the same "
    "request within 24 hours gets the first answer again (`Idempotent-Replayed: true`) and "
    "changes nothing; the same key with another request is a 422; while the first is still "
    "running, a 409. Failed requests are not remembered.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Answer 304 without a body if the entity's ETag is one of these (a value "
    "that lists no entity tag is ignored).",
)


class NiagaraAutoSchema(AutoSchema):
    """Document what the API really answers: 200 on create, 205 on delete, and problems."""

    def map_parsers(self):
        # A PATCH of one entity is documented in the media types it takes (a merge patch).
        parsers = getattr(self.view, "patch_parsers", None)
        if self.method == "PATCH" and parsers and "{" in self.path:
            return [parser.media_type for parser in parsers]
        return super().map_parsers()

    def _map_basic_serializer(self, serializer, direction):
        # As for operations: a component says what is written for integrators
        # (``api_description``), never the serializer's docstring.
        schema = super()._map_basic_serializer(serializer, direction)
        if self._is_merge_patch() and direction == "request":
            # RFC 7396: an object in a merge patch merges member by member with what is stored,
            # so a nested object may name any of its members (an array replaces: whole items).
            for value in schema.get("properties", {}).values():
                _merged_members(value)
        schema.pop("description", None)
        described = getattr(serializer, "api_description", "")
        if described:
            schema["description"] = described
        return schema

    def _is_merge_patch(self) -> bool:
        full = getattr(self.view, "full_body_actions", ())
        return (
            self.method == "PATCH"
            and "{" in self.path
            and bool(getattr(self.view, "patch_parsers", None))
            and getattr(self.view, "action", None) not in full
        )

    def get_description(self):
        # Docstrings are written for the code's readers (how a viewset plugs into the base):
        # an operation's description is what ``extend_schema`` says to integrators, else what
        # the base classes guarantee every operation of its kind.
        action = getattr(self.view, "action", None)
        if self.method == "PATCH" and self._is_merge_patch():
            action = "partial_update"
        elif self.method == "GET" and self._is_list_view():
            action = "list"
        return ACTION_DESCRIPTIONS.get(action, GENERIC_DESCRIPTION.get(self.method, ""))

    def _is_conditional(self) -> bool:
        """Whether this operation reads or writes one entity with ETag semantics."""
        return getattr(self.view, "conditional", False) and "{" in self.path

    def _is_idempotent(self) -> bool:
        return getattr(self.view, "action", None) in getattr(self.view, "idempotent_actions", ())

    def _get_request_for_media_type(self, serializer, direction="request"):
        # A PATCH that takes a whole body (``PATCH /batches`` creates batches) is documented
        # with its required fields, not as a partial update.
        full = getattr(self.view, "full_body_actions", ())
        if self.method == "PATCH" and getattr(self.view, "action", None) in full:
            self.method = "POST"
            try:
                schema, _required = super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
            # Whole bodies are required, also where one of several shapes is taken (a step
            # closed or failed): without one the answer is a 400.
            return schema, schema is not None
        return super()._get_request_for_media_type(serializer, direction)

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_idempotent():
            parameters.append(IDEMPOTENCY_KEY)
        if self.method != "GET" and getattr(self.view, "takes_requestor", False):
            parameters.append(REQUESTOR_ID)
        if self._is_conditional():
            if self.method in ("PUT", "PATCH", "DELETE"):
                parameters.append(IF_MATCH)
            elif self.method == "GET" and not self._is_list_view():
                parameters.append(IF_NONE_MATCH)
        if self.method == "GET" and not self._is_list_view():
            include = include_parameter(self.view)
            if include is not None:
                parameters.append(include)
        return parameters

    def get_operation_id(self):
        """Use the view's per-action template (``fetchRelationsFor{kind}``) when it has one."""
        templates = getattr(self.view, "operation_ids", {})
        kind = getattr(self.view, "kind", None)
        action = getattr(self.view, "action", None)
        if kind is not None and action in templates:
            name = "".join(part.capitalize() for part in kind.kind.split("-"))
            return templates[action].format(kind=name)
        # One style for generated clients: lowerCamel (``workOrdersQueuesList``), never the
        # generator's snake_case.
        first, *rest = super().get_operation_id().split("_")
        return first + "".join(part[:1].upper() + part[1:] for part in rest)

    def _document_includes(self, response: dict) -> None:
        """A fetch that takes ``include=`` answers the entity and, in ``_embedded``, the
        sub-collections asked for (each an array of its list's items)."""
        includes = getattr(self.view, "includes", None)
        if not includes:
            return
        properties = {
            relation: {
                "type": "array",
                "maxItems": INCLUDED_ITEMS,
                "items": self.resolve_serializer(child.serializer_class, "response").ref,
                "description": f"With `include={name}`: the first items of its list",
            }
            for name, (relation, child) in sorted(includes.items())
        }
        extra = {
            "type": "object",
            "properties": {"_embedded": {"type": "object", "properties": properties}},
        }
        for content in response.get("content", {}).values():
            content["schema"] = {"allOf": [content["schema"], extra]}

    def _problem_ref(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _error_codes(self) -> list[int]:
        method = self.method
        view = self.view
        codes = [401, 403, 429, 500, 503]
        if getattr(view, "authentication_classes", None) == []:
            codes.remove(401)
        has_id = "{" in self.path
        if has_id:
            codes.append(404)
        if method in ("POST", "PUT", "PATCH") or (method == "GET" and self._is_list_view()):
            codes.append(400)
        if method == "GET" and not self._is_list_view() and getattr(view, "includes", None):
            codes.append(400)  # an unknown ``include``
        if method != "GET" and getattr(view, "takes_requestor", False):
            codes.append(400)  # a ``Requestor-ID`` of no active user
        if method in ("POST", "PUT", "PATCH"):
            codes += [413, 415]
        if self._is_conditional() and method in ("PUT", "PATCH", "DELETE"):
            codes += [400, 412]
        if self._is_idempotent():
            codes += [409, 422]
        # A merge patch of an entity is stored as the PUT of its result: it answers what PUT does.
        as_method = {method}
        if method == "PATCH" and has_id and getattr(view, "patch_parsers", None):
            as_method.add("PUT")
        if as_method & set(getattr(view, "conflict_methods", ())):
            codes.append(409)
        if as_method & set(getattr(view, "locked_methods", ())):
            codes.append(423)
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if "201" in responses and getattr(self.view, "create_status", None) == 200:
            responses["200"] = responses.pop("201")
        if self.method == "DELETE" and "204" in responses:
            del responses["204"]
            responses["205"] = {"description": "Deleted; no body"}
        if self._is_conditional() and not self._is_list_view():
            for code in ("200", "201"):
                if code in responses and "content" in responses[code]:
                    responses[code]["headers"] = ETAG_HEADER
            if self.method == "GET":
                responses["304"] = {"description": DESCRIPTIONS[304], "headers": ETAG_HEADER}
        if self.method == "GET" and not self._is_list_view() and "200" in responses:
            self._document_includes(responses["200"])
        problem = self._problem_ref("Problem", PROBLEM_SCHEMA)
        validation_problem = self._problem_ref("ValidationProblem", VALIDATION_PROBLEM_SCHEMA)
        for code in self._error_codes():
            schema = validation_problem if code == 400 else problem
            responses.setdefault(
                str(code),
                {
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
                    "description": f"{TITLES[code]}: {DESCRIPTIONS[code]}",
                },
            )
        for code, response in responses.items():
            if code[:1] in ("4", "5") and not response.get("content"):
                # A problem an operation describes in its own words is still a problem
                # document (generated clients read its body).
                schema = validation_problem if code == "400" else problem
                response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": schema}}
        return responses


class DocumentFieldExtension(OpenApiSerializerFieldExtension):
    """Publish a ``DocumentField`` as the very JSON schema that validates it."""

    target_class = "niagara.api.fields.DocumentField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        # A copy: hooks adjust the published schema, never the one the server validates with.
        return copy.deepcopy(self.target.document_schema.published)


class StrictEmailFieldExtension(OpenApiSerializerFieldExtension):
    """An e-mail address: a valid one in a request; in a response also empty, for the people
    made in the admin or by a command without one."""

    target_class = "niagara.api.fields.StrictEmailField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string"}
        if self.target.max_length:
            schema["maxLength"] = self.target.max_length
        if direction == "request":
            return {**schema, "format": "email"}
        return {**schema, "anyOf": [{"format": "email"}, {"maxLength": 0}]}


class StrictDateTimeFieldExtension(OpenApiSerializerFieldExtension):
    """A date-time as the API accepts it: RFC 3339, its UTC offset within ±14:00."""

    target_class = "niagara.api.fields.StrictDateTimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "date-time"}
        if direction == "request":
            schema["pattern"] = UTC_OFFSET_PATTERN
        return schema  # ``null``, where allowed, is added by drf-spectacular


class CharFieldExtension(OpenApiSerializerFieldExtension):
    """Text as the API accepts it: no control character but tab, line feed and carriage return
    (``niagara.text``), and, where blank is refused, at least one character that is not white
    space (surrounding white space is trimmed)."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if isinstance(schema.get("type"), list):
            # drf-spectacular adds ``null`` itself after an extension (allow_null).
            kinds = [kind for kind in schema["type"] if kind != "null"]
            schema["type"] = kinds[0] if len(kinds) == 1 else kinds
        plain = type(self.target).__name__ in ("CharField", "StrictCharField", "OptionalTextField")
        if direction == "request" and getattr(self.target, "pattern", None):
            schema["pattern"] = self.target.pattern  # a StrictRegexField's
        if direction == "request" and plain and "pattern" not in schema:
            needs_text = not self.target.allow_blank and self.target.trim_whitespace
            # One character that is neither white space nor a control character.
            text = rf"^[^{CONTROL}]*[^{CONTROL}{WHITE_SPACE}][^{CONTROL}]*$"
            schema["pattern"] = text if needs_text else TEXT_PATTERN
        return schema


class EmbeddedReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """Requests carry ``{"<x>_id": …}`` (and the field's other keys, if it reads any);
    responses the parent's embedded object (with those keys)."""

    target_class = "niagara.api.fields.EmbeddedReferenceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        others = {
            name: auto_schema._map_serializer_field(field, direction)
            for name, field in self.target.fields.items()
            if name != self.target.id_name
        }
        if direction == "request":
            return ignoring_other_keys(
                {
                    "type": "object",
                    "required": [self.target.id_name, *others],
                    "properties": {
                        self.target.id_name: {"type": "string", "pattern": ID_PATTERN},
                        **others,
                    },
                }
            )
        # ``null`` when the caller may not read the parent (a technician's batch does not show
        # them its customer).
        parent = auto_schema.resolve_serializer(self.target.embedded, direction).ref
        if others:
            parent = {
                "allOf": [
                    parent,
                    {"type": "object", "required": list(others), "properties": others},
                ]
            }
        if others:
            return {"oneOf": [parent], "nullable": True}
        return {"anyOf": [parent, summary_schema(self.target.id_name)], "nullable": True}


def _merged_members(schema: dict) -> None:
    """Drop ``required`` from ``schema``'s objects, and from the objects within them (not within
    arrays, not references), as a merge patch may name any member of a stored object."""
    if not isinstance(schema, dict) or "propertyNames" in schema:
        return  # a reference to another entity: it names its id, merged or not
    if "properties" in schema:
        schema.pop("required", None)
        for value in schema["properties"].values():
            _merged_members(value)
    for key in ("oneOf", "anyOf", "allOf"):
        for option in schema.get(key, []):
            _merged_members(option)


def summary_schema(id_name: str) -> dict:
    """A parent as a list item embeds it (``niagara.api.fields.summary_of``)."""
    return {
        "type": "object",
        "description": "In list items, the parent's summary: its id, label and self link (the "
        "item's own GET embeds the whole parent).",
        "required": [id_name, "_links"],
        "properties": {
            id_name: {"type": "string"},
            "label": {"type": "string"},
            "_links": {
                "type": "object",
                "required": ["self"],
                "properties": {
                    "self": {
                        "type": "object",
                        "required": ["href"],
                        "properties": {"href": {"type": "string", "format": "uri"}},
                    }
                },
            },
        },
    }


def ignoring_other_keys(reference: dict) -> dict:
    """Return a reference's request schema saying its other keys are ignored, whatever they
    are called or hold (a fetched object sent back carries them)."""
    return {**reference, "propertyNames": {}, "additionalProperties": dict(IGNORED)}


ACTION_DESCRIPTIONS = {
    "list": "A page of what the caller may read (HAL: the items in `_embedded`, `_links` to "
    "the next page). `limit` (1-100) sets its size; `offset` continues from a `next` link; "
    "`filter[...]` parameters narrow it. An unknown or empty parameter is a 400.",
    "retrieve": "The entity, when the caller may read it (otherwise a 404: what exists stays "
    "private). Its `ETag` comes with it; `If-None-Match` with that tag answers 304.",
    "create": "Creates it from the body (an unknown key is a 400; read-only keys of a fetched "
    "representation are accepted and ignored) and answers it. A retry with the same "
    "`Idempotency-Key` answers the first response again.",
    "update": "Replaces it with the body, validated as a create is; `If-Match` with its `ETag` "
    "refuses (412) to overwrite a change made since it was read.",
    "partial_update": "A JSON merge patch (RFC 7396, `application/merge-patch+json`): the "
    "patch is applied to the entity as answered and the result stored as a `PUT` of it would "
    "be (same checks, same problems; `null` removes an optional member).",
    "destroy": "Deletes it (205, no body). `If-Match` with its `ETag` refuses (412) to delete a "
    "changed entity; a 423 says it still has dependents or work in flight.",
}
GENERIC_DESCRIPTION = {
    "GET": "Answers HAL+JSON; problems are RFC 7807 documents (`application/problem+json`).",
    "POST": "The body is validated before anything is looked at or changed (a 400 names every "
    "field at fault); problems are RFC 7807 documents (`application/problem+json`).",
    "PUT": "The body is validated before anything is looked at or changed (a 400 names every "
    "field at fault); problems are RFC 7807 documents (`application/problem+json`).",
    "PATCH": "The body is validated before anything is looked at or changed (a 400 names every "
    "field at fault); problems are RFC 7807 documents (`application/problem+json`).",
    "DELETE": "Answers 205 with no body; problems are RFC 7807 documents "
    "(`application/problem+json`).",
}


def crud_schema(noun: str, plural: str, operation: str, *, example: dict | None = None) -> dict:
    """Return the docs' summaries and operation ids (``fetchAllPrograms``, …) for a collection's
    actions (a merge patch's beside the docs' five), for ``extend_schema_view``. ``example``: a
    create body that works as sent (Swagger UI's "try it out" starts from it)."""
    examples = [OpenApiExample("A body that works", value=example, request_only=True)]
    return {
        "list": extend_schema(summary=f"Fetch {plural}", operation_id=f"fetchAll{operation}s"),
        "create": extend_schema(
            summary=f"Create {noun}",
            operation_id=f"create{operation}",
            examples=examples if example else None,
        ),
        "retrieve": extend_schema(summary=f"Fetch {noun}", operation_id=f"fetch{operation}ById"),
        "update": extend_schema(summary=f"Update {noun}", operation_id=f"update{operation}"),
        "partial_update": extend_schema(
            summary=f"Change part of {noun}", operation_id=f"patch{operation}"
        ),
        "destroy": extend_schema(summary=f"Delete {noun}", operation_id=f"delete{operation}"),
    }


def strict_query_parameters(result, generator, request, public):
    """Post-processing hook: say what the API enforces of query parameters — none may be
    empty (an empty value is a 400, not "no filter"), so no enum offers ``""``; text holds no
    NUL character."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                if "enum" in schema:
                    schema["enum"] = [value for value in schema["enum"] if value not in ("", None)]
                if schema.get("type") == "string":
                    schema.setdefault("minLength", 1)
                    if not {"pattern", "enum", "format"} & set(schema):
                        schema["pattern"] = NUL_FREE  # form fields refuse NUL characters
                if schema.get("format") == "date-time":
                    schema.setdefault("pattern", UTC_OFFSET_PATTERN)
    return result


def closed_request_bodies(result, generator, request, public):
    """Post-processing hook: request bodies are closed objects (an unknown key is a 400), and
    the keys a representation has beyond them (ids, counters, ``_links``) are accepted and
    ignored, so a client may send back what it fetched."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if not name.endswith("Request") or schema.get("type") != "object":
            continue
        schema.setdefault("additionalProperties", False)
        fetched = schemas.get(name.removesuffix("Request"), {})
        for key in fetched.get("properties", {}):
            schema.setdefault("properties", {}).setdefault(
                key,
                {**IGNORED, "description": "Read-only: accepted and ignored (as fetched)"},
            )
    return result


def blank_emails_in_responses(result, generator, request, public):
    """Post-processing hook: an e-mail address a response may leave empty says so alone (the
    field's ``anyOf``), without the ``format`` drf-spectacular adds from its validator."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            continue
        for prop in schema.get("properties", {}).values():
            if isinstance(prop, dict) and {"format": "email"} in prop.get("anyOf", []):
                prop.pop("format", None)
    return result


def blank_alternatives(result, generator, request, public):
    """Post-processing hook: drf-spectacular offers a blank string beside a patterned one as a
    second ``oneOf`` branch (``maxLength: 0``). Where the pattern itself admits "", a blank
    string would match both branches, which ``oneOf`` forbids: the field's own schema is enough
    there; elsewhere the two branches are alternatives (``anyOf``), as the server reads them."""

    def visit(node):
        if isinstance(node, dict):
            branches = node.get("oneOf")
            if isinstance(branches, list) and len(branches) == 2 and _blank(branches[1]):
                inner = branches[0]
                del node["oneOf"]
                pattern = inner.get("pattern")
                if inner.get("minLength", 0) == 0 and (pattern is None or re.search(pattern, "")):
                    node.update(inner)
                else:
                    node["anyOf"] = [inner, BLANK]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


BLANK = {"type": "string", "maxLength": 0}


def _blank(schema) -> bool:
    return isinstance(schema, dict) and schema.get("maxLength") == 0 and schema["type"] == "string"


# Query parameters are only read, never stored: Django's form fields refuse NUL alone there.
NUL_FREE = r"^[^\u0000]*$"
# Free-form JSON without control characters, described to a fixed depth: generators
# (schemathesis) cannot use a recursive definition. Deeper values are documented as scalars; the
# server accepts up to 32.
TEXT_JSON_DEPTH = 4

# What the server ignores (a fetched object's read-only keys, a reference's other keys): any
# JSON at all, NUL included, since nothing of it is read or stored.
IGNORED = {"description": "Ignored (as fetched): any JSON"}


def _text_json(level: int) -> dict:
    scalars = [{"type": ["number", "boolean", "null"]}, {"type": "string", "pattern": TEXT_PATTERN}]
    if level >= TEXT_JSON_DEPTH:
        return {"anyOf": scalars}
    inner = {"$ref": f"#/components/schemas/TextJSON{level + 1}"}
    return {
        "description": "Any JSON value whose strings and keys hold no control character but "
        "tab, line feed and carriage return",
        "anyOf": [
            *scalars,
            {"type": "array", "items": inner},
            {
                "type": "object",
                "propertyNames": {"pattern": TEXT_PATTERN},
                "additionalProperties": inner,
            },
        ],
    }


# Keywords whose schemas are conditions, not constraints: left as they are.
_CONDITIONS = frozenset({"if", "not", "propertyNames"})


def _plain_text(node) -> None:
    if isinstance(node, list):
        for item in node:
            _plain_text(item)
        return
    if not isinstance(node, dict) or "$ref" in node:
        return
    kinds = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    if "string" in kinds and not {"pattern", "enum", "const", "format"} & set(node):
        node["pattern"] = TEXT_PATTERN
    if "object" in kinds:
        node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})
        if node.get("additionalProperties", True) is True:
            # Keys beyond the named ones (a reference's extras, a free-form object) hold any
            # JSON, free of control characters.
            node["additionalProperties"] = {"$ref": "#/components/schemas/TextJSON"}
    if "array" in kinds and "items" not in node:
        node["items"] = {"$ref": "#/components/schemas/TextJSON"}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for child in value.values():
                _plain_text(child)
        elif key not in _CONDITIONS and isinstance(value, dict | list):
            _plain_text(value)


def plain_text_requests(result, generator, request, public):
    """Post-processing hook: no string or key of a request body may hold a control character
    but tab, line feed and carriage return (a 400 at the field, ``niagara.text``), said on every
    string and free-form object."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in list(schemas.items()):
        if name.endswith("Request"):
            # A copy: parts of a component may be the very dicts the server validates with.
            schemas[name] = copy.deepcopy(schema)
            _plain_text(schemas[name])
    schemas["TextJSON"] = _text_json(0)
    for level in range(1, TEXT_JSON_DEPTH + 1):
        schemas[f"TextJSON{level}"] = _text_json(level)
    return result


def bearer_token_first(result, generator, request, public):
    """Post-processing hook: the bearer token (a personal token, or an OAuth2 access token) is
    the first security scheme, so Swagger UI's Authorize dialog shows its one field above the
    OAuth2 flow's scope checkboxes."""
    schemes = result.get("components", {}).get("securitySchemes", {})
    first = [name for name in ("tokenAuth",) if name in schemes]
    ordered = {name: schemes[name] for name in first + [n for n in schemes if n not in first]}
    if schemes:
        result["components"]["securitySchemes"] = ordered
    return result


TAG_DESCRIPTIONS = {
    "me": "The caller: their own user, customers, locations and personal tokens.",
}


def tidy_for_linters(result, generator, request, public):
    """Post-processing hook: what Redocly's and Spectral's recommended rules ask beyond
    validity — every tag an operation uses is declared with a description, an ``allOf`` of one
    schema is that schema, and no component is left that nothing refers to."""
    used = sorted(
        {
            tag
            for item in result.get("paths", {}).values()
            for operation in item.values()
            if isinstance(operation, dict)
            for tag in operation.get("tags", [])
        }
    )
    result["tags"] = [
        {
            "name": tag,
            "description": TAG_DESCRIPTIONS.get(
                tag, f"The {tag.replace('-', ' ')}: their collection, items and sub-resources."
            ),
        }
        for tag in used
    ]
    _single_all_of(result)
    _drop_unused_components(result)
    return result


def _single_all_of(node) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
            only = node.pop("allOf")[0]
            for key, value in only.items():
                node.setdefault(key, value)
        for value in node.values():
            _single_all_of(value)
    elif isinstance(node, list):
        for value in node:
            _single_all_of(value)


def _references(node, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _references(value, found)
    elif isinstance(node, list):
        for value in node:
            _references(value, found)


def _drop_unused_components(result) -> None:
    schemas = result.get("components", {}).get("schemas", {})
    found: set[str] = set()
    _references({k: v for k, v in result.items() if k != "components"}, found)
    _references({k: v for k, v in result.get("components", {}).items() if k != "schemas"}, found)
    pending = list(found)
    while pending:
        more: set[str] = set()
        _references(schemas.get(pending.pop(), {}), more)
        pending += [name for name in more - found]
        found |= more
    for name in [name for name in schemas if name not in found]:
        del schemas[name]


# Rules of a whole request body that no one field states (``component_rule``), by component.
COMPONENT_RULES: dict[str, dict] = {}


def component_rule(component: str, rule: dict) -> None:
    """Publish ``rule`` (JSON Schema keywords) on the schema component ``component``: what the
    serializer enforces across its fields (one of two names required, a value that another
    field's value requires)."""
    COMPONENT_RULES.setdefault(component, {}).update(rule)


def component_rules(result, generator, request, public):
    """Post-processing hook: each ``component_rule`` on its component."""
    schemas = result.get("components", {}).get("schemas", {})
    for component, rule in COMPONENT_RULES.items():
        if component in schemas:
            schemas[component].update(rule)
    return result
