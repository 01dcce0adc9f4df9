"""User-defined labels: up to 16 short tags on customers, programs, projects, work orders and
batches, to group them as a shop likes ("retail", "q4-rollout", "priority:high").

A label is 1 to 40 characters: lowercase letters, digits and ``- _ . :``, starting with a letter
or a digit (``LABEL_PATTERN``). Labels are stored as a JSON array on the row itself, so a page
of entities reads them with no extra query; ``labels__has_all=[...]`` filters the rows having
every one of them (a containment test on PostgreSQL, ``json_each`` on SQLite).
"""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models import Lookup

from .jsonschemas import DocumentSchema

MAX_LABELS = 16
MAX_LABEL_LENGTH = 40
LABEL_PATTERN = r"^[a-z0-9][a-z0-9_.:-]{0,39}$"
LABEL_RULE = (
    f"1 to {MAX_LABEL_LENGTH} characters: lowercase letters, digits and - _ . :, "
    "starting with a letter or a digit"
)
_label = re.compile(LABEL_PATTERN)

# The rule as the API validates and publishes it (the admin's form says the same in words).
LABELS = DocumentSchema(
    {
        "type": "array",
        "description": f"Up to {MAX_LABELS} user-defined labels to group by ({LABEL_RULE})",
        "maxItems": MAX_LABELS,
        "uniqueItems": True,
        "items": {"type": "string", "pattern": LABEL_PATTERN, "maxLength": MAX_LABEL_LENGTH},
    }
)


def label_errors(label) -> list[str]:
    """Return what is wrong with one label (nothing for a good one)."""
    if not isinstance(label, str):
        return ["should be a string"]
    if not _label.fullmatch(label):
        return [f'"{label[:60]}" is not a label: {LABEL_RULE}']
    return []


def validate_labels(value) -> None:
    """Check a list of labels: at most ``MAX_LABELS``, each well formed, none twice."""
    if not isinstance(value, list):
        raise ValidationError("should be a list of labels", code="type")
    if len(value) > MAX_LABELS:
        raise ValidationError(f"at most {MAX_LABELS} labels", code="maxItems")
    problems = [problem for label in value for problem in label_errors(label)]
    if problems:
        raise ValidationError(problems, code="pattern")
    if len(set(value)) != len(value):
        raise ValidationError("each label at most once", code="uniqueItems")


def split_labels(text: str) -> list[str]:
    """Read "a, b,c" (a form's or a query's comma-separated labels) as a list, blanks dropped
    and repeats kept once, in order."""
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


class LabelsWidget(forms.TextInput):
    """Labels typed as comma-separated text; the admin's script shows them as removable tags."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField niagara-labels", **(attrs or {})})

    class Media:
        css = {"all": ["niagara/labels.css"]}
        js = ["niagara/labels.js"]

    def format_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return super().format_value(value)


class LabelsFormField(forms.CharField):
    """A form field for labels: comma-separated text in, a validated list out."""

    widget = LabelsWidget

    def __init__(self, **kwargs):
        for unused in ("encoder", "decoder", "max_length"):
            kwargs.pop(unused, None)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", f"Up to {MAX_LABELS} labels, separated by commas ({LABEL_RULE})."
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, list):
            return value
        # People type "Retail"; labels are lowercase (the API, stricter, refuses capitals).
        return split_labels((super().to_python(value) or "").lower())

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)

    def validate(self, value):
        super().validate(value)
        validate_labels(value)


class LabelsField(models.JSONField):
    """A model's labels: a JSON array of label strings (empty by default)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_labels])
        kwargs.setdefault("help_text", f"Up to {MAX_LABELS} labels to group by ({LABEL_RULE}).")
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LabelsFormField, **kwargs})


@LabelsField.register_lookup
class HasAllLabels(Lookup):
    """``labels__has_all=["a", "b"]``: the rows whose labels include every one given."""

    lookup_name = "has_all"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        # SQLite (and anything with JSON1's json_each): no wanted label is missing.
        column, params = self.process_lhs(compiler, connection)
        sql = (
            "NOT EXISTS (SELECT 1 FROM json_each(%s) AS wanted WHERE wanted.value NOT IN "
            f"(SELECT held.value FROM json_each({column}) AS held))"
        )
        return sql, [json.dumps(self.rhs), *params]

    def as_postgresql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} @> %s::jsonb", [*params, json.dumps(self.rhs)]


def postgres_labels_index(table: str):
    """A migration operation: on PostgreSQL, a GIN index on ``table``'s labels serving
    ``has_all`` (``@>``) without reading the whole table; elsewhere nothing (SQLite scans: its
    tables are a newcomer's). Not a ``Meta.indexes`` entry, which would break SQLite."""

    name = f"{table}_labels_gin"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin '
                '("labels" jsonb_path_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
