"""Admin form helpers: every model validation error lands on the form, never in a 500."""

import json

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ModelErrorsOnFormMixin:
    """For ModelForms whose model's ``clean()`` speaks of fields the form does not show.

    ``validated_model_fields`` are validated even though the form edits them another way (e.g.
    an address assembled from several inputs). Errors about fields the form lacks are shown as
    form-wide errors, named by field.
    """

    validated_model_fields: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(self.validated_model_fields)

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            shown, hidden = {}, []
            for field, messages in errors.error_dict.items():
                if field == NON_FIELD_ERRORS or field in self.fields:
                    shown[field] = [_keep_wording(m) for m in messages]
                else:
                    name = field.replace("_", " ")
                    hidden += [
                        ValidationError(f"{name}: {m.message % (m.params or {})}") for m in messages
                    ]
            if hidden:
                shown[NON_FIELD_ERRORS] = [*shown.get(NON_FIELD_ERRORS, []), *hidden]
            errors = ValidationError(shown)
        super()._update_errors(errors)


def _keep_wording(error: ValidationError) -> ValidationError:
    """A document's schema errors carry the JSON Schema keyword as their code; ModelForm would
    swap the wording of a ``required`` or ``invalid`` one for its field's ("This field is
    required."), so they travel under a code of their own."""
    if isinstance(error, ValidationError) and "path" in (error.params or {}):
        return ValidationError(error.message, code=f"document-{error.code}", params=error.params)
    return error


def parsed_json(text):
    """``text`` read as JSON, or ``text`` itself when it is not JSON."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


class PrettyJSONWidget(forms.Textarea):
    """A JSON document shown indented, so steps and field definitions can be read and edited."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 14, "cols": 90, "style": "font-family: monospace", **(attrs or {})}
        )

    def format_value(self, value):
        try:
            return json.dumps(json.loads(value), indent=2, ensure_ascii=False)
        except (TypeError, ValueError):
            return value


class RowsOverJSONWidget(PrettyJSONWidget):
    """A document edited as rows a manager fills in, with its JSON one click away for power
    users: the rows win unless the JSON was edited in the same submit, and a post without the
    rows (a script, an import) is read as JSON. Subclasses say how rows make the document."""

    def document_from_rows(self, data, name: str):
        raise NotImplementedError

    def value_from_datadict(self, data, files, name):
        text = data.get(name)
        edited = parsed_json(text) != parsed_json(data.get(f"{name}-original"))
        if f"{name}-rows" not in data or edited:
            return text
        return json.dumps(self.document_from_rows(data, name))
